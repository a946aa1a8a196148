// Tabs of one user share one connection: one leader tab holds the session, the others follow it, and
// when the leader closes another takes over, resuming from the last seq.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Demo } from '../../acceptance/lib/demo.js';
import {
  awaitOpen, awaitShown, eventually, launchBrowser, openDemo, openDirect, presenceOf, screenshot, sendText,
  shownBodies, transportOf,
} from '../lib/browser.js';

const TEST_TIMEOUT_MS = 60_000;
/** The bound on a hand-over. */
const TAKE_OVER_MS = 2_000;

describe('tabs of one user', { timeout: 240_000 }, () => {
  let demo;
  let browser;
  let bob;
  let tabs;

  before(async () => {
    [demo, browser] = await Promise.all([Demo.start(), launchBrowser()]);
    bob = await openDemo(await browser.newContext(), demo, 'bob');
    await openDirect(bob, 'alice');
    const aliceBrowser = await browser.newContext();
    tabs = [];
    for (let i = 0; i < 3; i += 1) {
      const tab = await openDemo(aliceBrowser, demo, 'alice');
      await openDirect(tab, 'bob');
      tabs.push(tab);
    }
  });

  after(async () => {
    await browser?.close();
    await demo?.stop({ removeData: true });
  });

  async function leaderAndFollowers() {
    const transports = await Promise.all(tabs.map(transportOf));
    return {
      leader: tabs[transports.findIndex((t) => t !== 'follower')],
      followers: tabs.filter((_, i) => transports[i] === 'follower'),
      transports,
    };
  }

  async function sessionsOfAlice() {
    return (await presenceOf(demo, 'alice')).sessions.length;
  }

  it('keeps exactly one session for three tabs, and all three show each message', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { transports } = await leaderAndFollowers();
    assert.deepEqual(transports.filter((t) => t === 'follower').length, 2, `transports: ${transports}`);
    assert.equal(transports.filter((t) => t === 'ws').length, 1, `transports: ${transports}`);
    assert.equal(await eventually(async () => (await sessionsOfAlice()) === 1), true);
    for (const text of ['one for every tab', 'two for every tab', 'three for every tab']) {
      await sendText(bob, text);
    }
    for (const tab of tabs) {
      await awaitShown(tab, 'three for every tab');
      assert.deepEqual(await shownBodies(tab), ['one for every tab', 'two for every tab', 'three for every tab']);
    }
    assert.equal(await sessionsOfAlice(), 1);
    await screenshot(tabs[0], 'tabs-alice');
  });

  it('sends from a follower tab through the leader', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { followers } = await leaderAndFollowers();
    await sendText(followers[0], 'typed in a follower tab');
    await awaitShown(bob, 'typed in a follower tab');
    for (const tab of tabs) await awaitShown(tab, 'typed in a follower tab');
    assert.equal(await sessionsOfAlice(), 1);
  });

  it('hands over within 2 seconds when the leader tab closes, losing nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { leader, followers } = await leaderAndFollowers();
    const before = await Promise.all(followers.map((tab) => tab.evaluate(() => window.pigeon.lastSeq)));
    await sendText(bob, 'just before the leader goes');
    await leader.close();
    tabs = followers;
    const started = Date.now();
    await Promise.any(followers.map((tab) => tab.waitForFunction(
      () => window.pigeon.transport !== 'follower' && window.pigeon.state === 'open', null, { timeout: TAKE_OVER_MS })));
    const tookMs = Date.now() - started;
    assert.ok(tookMs <= TAKE_OVER_MS, `took over in ${tookMs} ms`);
    await sendText(bob, 'after the hand-over');
    for (const tab of followers) {
      await awaitOpen(tab);
      await awaitShown(tab, 'after the hand-over');
      const bodies = await shownBodies(tab);
      assert.deepEqual(bodies.slice(-2), ['just before the leader goes', 'after the hand-over']);
      assert.equal(new Set(bodies).size, bodies.length, 'no message shown twice');
    }
    const after = await Promise.all(followers.map((tab) => tab.evaluate(() => window.pigeon.lastSeq)));
    after.forEach((seq, i) => assert.ok(seq >= before[i] + 2, `tab ${i} resumed from ${before[i]} to ${seq}`));
    const { transports } = await leaderAndFollowers();
    assert.deepEqual(transports.sort(), ['follower', 'ws']);
    assert.equal(await eventually(async () => (await sessionsOfAlice()) === 1), true);
  });
});
