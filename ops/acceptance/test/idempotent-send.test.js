// Retrying a send with the same id never creates a second message: it answers the same `sent`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Demo } from '../lib/demo.js';
import { assertError, assertInboxPage, assertMsg, assertSent } from '../lib/frames.js';
import { devTokens, expectStatus, request } from '../lib/http.js';
import { WsSession } from '../lib/ws-session.js';

const TEST_TIMEOUT_MS = 30_000;

describe('idempotent send', { timeout: 90_000 }, () => {
  let demo;
  let tokens;
  const send = async (user, frame) => assertSent(
    await expectStatus(200, demo.baseUrl, 'POST', '/v1/send', { token: tokens[user], body: frame }));
  const sync = async (user) => assertInboxPage(
    await expectStatus(200, demo.baseUrl, 'GET', '/v1/sync?since=0', { token: tokens[user] }));

  before(async () => {
    demo = await Demo.start();
    tokens = await devTokens(demo, ['olga', 'pete']);
  });

  after(async () => {
    await demo?.stop({ removeData: true });
  });

  it('POST /v1/send twice with the same id answers the same sent and stores one message', { timeout: TEST_TIMEOUT_MS }, async () => {
    const pete = await WsSession.open(demo, 'pete', tokens.pete);
    const frame = { type: 'send', id: 'o-1', to: 'pete', body: 'only once' };
    const first = await send('olga', frame);
    const second = await send('olga', frame);
    assert.deepEqual(second, first);
    assert.deepEqual({ ...first, ts: 0 },
      { type: 'sent', ref: 'o-1', id: 'o-1', conversation: 'dm:olga:pete', conv_seq: 1, seq: 1, ts: 0 });

    for (const user of ['olga', 'pete']) {
      const entries = await sync(user);
      assert.deepEqual(entries.map((e) => [e.seq, e.id, e.conv_seq]), [[1, 'o-1', 1]], `${user}'s inbox`);
    }
    const history = await expectStatus(200, demo.baseUrl, 'GET', '/v1/history/dm:olga:pete', { token: tokens.pete });
    assert.equal(history.messages.length, 1);

    // The recipient was online: one msg; the next message is the very next seq, no hole.
    const next = await send('olga', { type: 'send', id: 'o-2', to: 'pete', body: 'second' });
    assert.deepEqual([next.seq, next.conv_seq], [2, 2]);
    const live = (await pete.nextN('msg', 2)).map(assertMsg);
    assert.deepEqual(live.map((m) => [m.seq, m.id]), [[1, 'o-1'], [2, 'o-2']]);
    await pete.close();
  });

  it('a retry over WebSocket with its own ref gets the same sent under that ref', { timeout: TEST_TIMEOUT_MS }, async () => {
    const olga = await WsSession.open(demo, 'olga', tokens.olga);
    const first = await send('olga', { type: 'send', id: 'o-3', to: 'pete', body: 'third' });
    const retried = assertSent(await olga.call({ type: 'send', id: 'o-3', ref: 'retry-1', to: 'pete', body: 'third' }));
    assert.deepEqual(retried, { ...first, ref: 'retry-1' });
    const entries = await sync('pete');
    assert.deepEqual(entries.map((e) => e.id), ['o-1', 'o-2', 'o-3']);
    await olga.close();
  });

  it('reusing an id for another body gets 409 conflict and writes nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const res = await request(demo.baseUrl, 'POST', '/v1/send',
      { token: tokens.olga, body: { type: 'send', id: 'o-1', to: 'pete', body: 'something else' } });
    assert.equal(res.status, 409, res.text);
    assertError(res.json, 'conflict', 'o-1');
    assert.equal((await sync('pete')).length, 3);
  });
});
