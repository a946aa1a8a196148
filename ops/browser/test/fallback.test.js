// Without WebSocket the page falls back to SSE (and without SSE to long-poll) and still chats.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Demo } from '../../acceptance/lib/demo.js';
import {
  awaitShown, launchBrowser, openDemo, openDirect, screenshot, sendText, transportOf,
} from '../lib/browser.js';

const TEST_TIMEOUT_MS = 60_000;

/** A browser context in which no WebSocket to the server opens: every attempt is closed at once. */
async function contextWithoutWebSocket(browser) {
  const context = await browser.newContext();
  const attempts = [];
  await context.routeWebSocket(/\/v1\/ws/, (ws) => {
    attempts.push(ws.url());
    ws.close({ code: 1011, reason: 'blocked by the test' });
  });
  return { context, attempts };
}

describe('transport fallback in the browser', { timeout: 180_000 }, () => {
  let demo;
  let browser;
  let bob;

  before(async () => {
    [demo, browser] = await Promise.all([Demo.start(), launchBrowser()]);
    bob = await openDemo(await browser.newContext(), demo, 'bob');
    await openDirect(bob, 'carol');
  });

  after(async () => {
    await browser?.close();
    await demo?.stop({ removeData: true });
  });

  it('falls back to SSE when WebSocket is unavailable and still chats', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, attempts } = await contextWithoutWebSocket(browser);
    const carol = await openDemo(context, demo, 'carol');
    assert.equal(await transportOf(carol), 'sse');
    assert.ok(attempts.length >= 1, 'the client tried WebSocket first');
    await openDirect(carol, 'bob');
    await sendText(carol, 'sent over POST /v1/send');
    await awaitShown(bob, 'sent over POST /v1/send');
    await sendText(bob, 'received over the event stream');
    await awaitShown(carol, 'received over the event stream');
    await screenshot(carol, 'fallback-sse');
    await context.close();
  });

  it('falls back to long-poll when SSE is unavailable too', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context } = await contextWithoutWebSocket(browser);
    await context.route(/\/v1\/sse/, (route) => route.abort('connectionrefused'));
    const dave = await openDemo(context, demo, 'dave');
    assert.equal(await transportOf(dave), 'poll');
    await openDirect(dave, 'bob');
    await sendText(dave, 'hello from a long-poll');
    await bob.locator('#conversations li[data-conversation="dm:bob:dave"]').click();
    await awaitShown(bob, 'hello from a long-poll');
    await sendText(bob, 'answered while dave waits in a poll');
    await awaitShown(dave, 'answered while dave waits in a poll');
    await context.close();
  });
});
