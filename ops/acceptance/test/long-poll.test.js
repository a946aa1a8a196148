// Long-poll with fetch: an answer at once when entries exist, a parked request answered by the next
// message, an empty answer when the wait runs out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, Demo } from '../lib/demo.js';
import { assertInboxPage, assertSent } from '../lib/frames.js';
import { devTokens, expectStatus } from '../lib/http.js';

const TEST_TIMEOUT_MS = 30_000;
const WAIT_SECONDS = 5;

describe('long-poll', { timeout: 90_000 }, () => {
  let demo;
  let tokens;
  let sent = 0;
  const hankSends = async () => {
    sent += 1;
    return assertSent(await expectStatus(200, demo.baseUrl, 'POST', '/v1/send',
      { token: tokens.hank, body: { type: 'send', id: `h-${sent}`, to: 'gina', body: `ping ${sent}` } }));
  };
  /** Starts a poll for gina; answers its page and how long it took. */
  const poll = async (query) => {
    const started = Date.now();
    const page = await expectStatus(200, demo.baseUrl, 'GET', `/v1/poll?${query}`, { token: tokens.gina });
    return { page, entries: assertInboxPage(page), elapsedMs: Date.now() - started };
  };
  /** True once the gateway lists a long-poll session for gina: the request is parked. */
  const ginaIsPolling = async () => {
    const presence = await expectStatus(200, demo.adminUrl, 'GET', '/admin/presence/gina', { token: ADMIN_TOKEN });
    return presence.sessions.some((session) => session.transport === 'poll');
  };
  const untilParked = async () => {
    const deadline = Date.now() + 5_000;
    while (!(await ginaIsPolling())) {
      assert.ok(Date.now() < deadline, 'the long-poll never showed up in presence');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  before(async () => {
    demo = await Demo.start();
    tokens = await devTokens(demo, ['gina', 'hank']);
  });

  after(async () => {
    await demo?.stop({ removeData: true });
  });

  it('answers at once when the inbox already has entries after since', { timeout: TEST_TIMEOUT_MS }, async () => {
    const acks = [await hankSends(), await hankSends()];
    const { page, entries, elapsedMs } = await poll(`since=0&wait=${WAIT_SECONDS}`);
    assert.deepEqual(entries.map((e) => [e.seq, e.id, e.from, e.conversation, e.ts]),
      acks.map((a, i) => [i + 1, a.id, 'hank', 'dm:gina:hank', a.ts]));
    assert.equal(page.head, 2);
    assert.ok(elapsedMs < WAIT_SECONDS * 1000, `waited ${elapsedMs} ms although entries existed`);

    const limited = await poll(`since=0&wait=${WAIT_SECONDS}&limit=1`);
    assert.deepEqual(limited.entries.map((e) => e.seq), [1]);
    assert.equal(limited.page.head, 2);
  });

  it('waits, then answers as soon as a message arrives', { timeout: TEST_TIMEOUT_MS }, async () => {
    const pending = poll(`since=2&wait=${WAIT_SECONDS}`);
    await untilParked();
    const ack = await hankSends();
    const { page, entries, elapsedMs } = await pending;
    assert.deepEqual(entries.map((e) => [e.seq, e.id, e.ts]), [[3, ack.id, ack.ts]]);
    assert.equal(page.head, 3);
    assert.ok(elapsedMs < WAIT_SECONDS * 1000, `answered after the wait ran out (${elapsedMs} ms), not on arrival`);
  });

  it('without since, waits for entries after the current head', { timeout: TEST_TIMEOUT_MS }, async () => {
    const pending = poll(`wait=${WAIT_SECONDS}`);
    await untilParked();
    const ack = await hankSends();
    const { entries } = await pending;
    assert.deepEqual(entries.map((e) => [e.seq, e.id]), [[4, ack.id]]);
  });

  it('answers an empty list with the head when the wait runs out', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { page, entries, elapsedMs } = await poll('since=4&wait=1');
    assert.deepEqual(entries, []);
    assert.equal(page.head, 4);
    // Timer granularity aside, it did wait.
    assert.ok(elapsedMs >= 900, `answered after ${elapsedMs} ms instead of waiting 1 s`);
  });
});
