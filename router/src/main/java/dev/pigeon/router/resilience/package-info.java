/**
 * Guards for the remote backends of the router: {@link dev.pigeon.router.resilience.ResilientMessageStore}
 * and {@link dev.pigeon.router.resilience.ResilientPresence} wrap a store or presence in a circuit breaker,
 * a bulkhead and a timeout (configured by {@link dev.pigeon.router.resilience.ResilienceSettings}), with
 * their state published as Micrometer meters ({@code resilience4j.circuitbreaker.*},
 * {@code resilience4j.bulkhead.*}, tagged {@code name=storage} or {@code name=presence}).
 *
 * <p>The node bus is not guarded: publishing is fire-and-forget and a lost delivery is filled from the inbox.
 */
package dev.pigeon.router.resilience;
