// Two users chat through the demo page, in a direct conversation and in a group.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Demo } from '../../acceptance/lib/demo.js';
import {
  awaitShown, launchBrowser, openDemo, openDirect, screenshot, sendText, transportOf,
} from '../lib/browser.js';

const TEST_TIMEOUT_MS = 60_000;

describe('the demo page', { timeout: 180_000 }, () => {
  let demo;
  let browser;
  let alice;
  let bob;

  before(async () => {
    [demo, browser] = await Promise.all([Demo.start(), launchBrowser()]);
    // separate contexts: two people, two browsers as far as storage, locks and tabs go
    alice = await openDemo(await browser.newContext({ viewport: { width: 1100, height: 640 } }), demo, 'alice');
    bob = await openDemo(await browser.newContext({ viewport: { width: 1100, height: 640 } }), demo, 'bob');
  });

  after(async () => {
    await browser?.close();
    await demo?.stop({ removeData: true });
  });

  it('serves /client.js as JavaScript to anyone', { timeout: TEST_TIMEOUT_MS }, async () => {
    const response = await fetch(`${demo.baseUrl}/client.js`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(await response.text(), /export function connect/);
  });

  it('connects over WebSocket', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.equal(await transportOf(alice), 'ws');
    assert.equal(await transportOf(bob), 'ws');
  });

  it('carries a direct conversation both ways', { timeout: TEST_TIMEOUT_MS }, async () => {
    await openDirect(alice, 'bob');
    await sendText(alice, 'Hello Bob, this is Alice');
    await awaitShown(alice, 'Hello Bob, this is Alice');
    await bob.locator('#conversations li[data-conversation="dm:alice:bob"]').click();
    await awaitShown(bob, 'Hello Bob, this is Alice');
    await sendText(bob, 'Hi Alice! Loud and clear.');
    await awaitShown(alice, 'Hi Alice! Loud and clear.');
    await awaitShown(bob, 'Hi Alice! Loud and clear.');
    await alice.locator('#title small', { hasText: 'bob read up to' }).waitFor({ timeout: 15_000 });
    await screenshot(alice, 'chat-alice');
    await screenshot(bob, 'chat-bob');
  });

  it('creates a group and carries it', { timeout: TEST_TIMEOUT_MS }, async () => {
    await alice.fill('#new-group', 'team');
    await alice.fill('#new-members', 'bob');
    await alice.click('#create-group button');
    await alice.locator('#title small', { hasText: 'g:team' }).waitFor();
    await sendText(alice, 'Welcome to the team');
    await bob.locator('#conversations li[data-conversation="g:team"]').click();
    await awaitShown(bob, 'Welcome to the team');
    await sendText(bob, 'Glad to be here');
    await awaitShown(alice, 'Glad to be here');
    await screenshot(alice, 'group-alice');
  });
});
