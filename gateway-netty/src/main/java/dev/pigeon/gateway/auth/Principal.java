package dev.pigeon.gateway.auth;

import java.time.Instant;

/**
 * Who a verified token speaks for.
 *
 * @param user      the token's {@code sub}, a valid user id
 * @param device    the token's {@code dev} claim, or null when it names no device
 * @param expiresAt when the token stops being valid; an open session ends then
 */
public record Principal(String user, String device, Instant expiresAt) {
}
