// Errors as PROTOCOL.md names them: refused tokens, malformed and oversized input, a group one is not
// in. A bad frame never closes a healthy WebSocket.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { Demo } from '../lib/demo.js';
import { assertError, assertGroup, assertPong, assertSent } from '../lib/frames.js';
import { devTokens, expectStatus, mintToken, nowSeconds, request } from '../lib/http.js';
import { SUBPROTOCOL, WsSession } from '../lib/ws-session.js';

const TEST_TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 64 * 1024;
const MAX_FRAME_BYTES = 1024 * 1024;

describe('errors', { timeout: 90_000 }, () => {
  let demo;
  let tokens;
  let ivan;
  let ids = 0;
  const nextId = () => `e-${(ids += 1)}`;
  /** A healthy socket answers a ping with a pong carrying its ref. */
  const assertStillOpen = async (session) => {
    const ref = nextId();
    assertPong(await session.call({ type: 'ping', ref }), ref);
  };

  before(async () => {
    demo = await Demo.start();
    tokens = await devTokens(demo, ['ivan', 'judy', 'kim']);
    ivan = await WsSession.open(demo, 'ivan', tokens.ivan);
    assertGroup(await expectStatus(201, demo.baseUrl, 'POST', '/v1/groups',
      { token: tokens.judy, body: { group: 'club', members: ['kim'] } }), 'club', ['judy', 'kim']);
  });

  after(async () => {
    await ivan?.close();
    await demo?.stop({ removeData: true });
  });

  it('HTTP without a valid token: 401 unauthorized', { timeout: TEST_TIMEOUT_MS }, async () => {
    const refused = {
      'no token': undefined,
      'not a JWT': 'not-a-token',
      'wrong signature': mintToken({ sub: 'ivan', exp: nowSeconds() + 600 }, 'some-other-secret'),
      expired: mintToken({ sub: 'ivan', exp: nowSeconds() - 60 }),
    };
    for (const [why, token] of Object.entries(refused)) {
      for (const [method, path, body] of [
        ['GET', '/v1/sync'],
        ['GET', '/v1/poll?wait=1'],
        ['POST', '/v1/send', { type: 'send', id: 'x', to: 'judy', body: 'hi' }],
      ]) {
        const res = await request(demo.baseUrl, method, path, { token, body });
        assert.equal(res.status, 401, `${why}: ${method} ${path} answered ${res.status} ${res.text}`);
        assertError(res.json, 'unauthorized');
      }
    }
    // The same secret and a future exp are accepted: the refusals above are about the token alone.
    await expectStatus(200, demo.baseUrl, 'GET', '/v1/sync',
      { token: mintToken({ sub: 'ivan', exp: nowSeconds() + 600 }) });
  });

  it('WebSocket with a bad token is refused', { timeout: TEST_TIMEOUT_MS }, async () => {
    for (const token of ['not-a-token', mintToken({ sub: 'ivan', exp: nowSeconds() - 60 })]) {
      const ws = new WebSocket(`${demo.wsUrl}/v1/ws?token=${encodeURIComponent(token)}`, SUBPROTOCOL);
      const frames = [];
      ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
      ws.on('error', () => {});
      const [outcome, detail] = await Promise.race([
        once(ws, 'unexpected-response').then(([, res]) => ['refused', res.statusCode]),
        once(ws, 'close').then(([code]) => ['closed', code]),
      ]);
      if (outcome === 'refused') {
        // Either form PROTOCOL.md allows: the upgrade refused with 401 ...
        assert.equal(detail, 401);
        ws.terminate();
      } else {
        // ... or accepted, one error unauthorized, no hello, close 4401.
        assert.equal(detail, 4401);
        assert.equal(frames.length, 1, `frames before close: ${JSON.stringify(frames)}`);
        assertError(frames[0], 'unauthorized');
      }
    }
  });

  it('an open WebSocket is closed with 4401 when its token expires', { timeout: TEST_TIMEOUT_MS }, async () => {
    const shortLived = mintToken({ sub: 'ivan', exp: nowSeconds() + 3 });
    const session = await WsSession.open(demo, 'ivan', shortLived);
    const { code } = await session.closed;
    assert.equal(code, 4401);
  });

  it('malformed frames get bad_request and the socket stays open', { timeout: TEST_TIMEOUT_MS }, async () => {
    for (const text of ['{"type":"send", "id":', 'not json at all', '[1,2,3]', '{"type":"no-such-type"}', '{}']) {
      ivan.send(text);
      assertError(await ivan.next('error'), 'bad_request');
      await assertStillOpen(ivan);
    }
    // Invalid fields: a user id outside [A-Za-z0-9_.-], an empty id, a missing body.
    for (const frame of [
      { type: 'send', id: 'bad-to', to: 'no spaces allowed', body: 'x' },
      { type: 'send', id: 'bad-to-2', to: '..', body: 'x' },
      { type: 'send', ref: 'empty-id', id: '', to: 'judy', body: 'x' },
      { type: 'send', id: 'no-body', to: 'judy' },
    ]) {
      assertError(await ivan.call(frame), 'bad_request', frame.ref ?? frame.id);
    }
    await assertStillOpen(ivan);
    const res = await request(demo.baseUrl, 'POST', '/v1/send', { token: tokens.ivan, body: '{"type":"send",' });
    assert.equal(res.status, 400, res.text);
    assertError(res.json, 'bad_request');
  });

  it('a body over 64 KiB of UTF-8 gets too_large; 64 KiB exactly is accepted', { timeout: TEST_TIMEOUT_MS }, async () => {
    const overAscii = { type: 'send', id: nextId(), to: 'judy', body: 'x'.repeat(MAX_BODY_BYTES + 1) };
    assertError(await ivan.call(overAscii), 'too_large', overAscii.id);
    await assertStillOpen(ivan);

    // Bytes count, not characters: 32,769 two-byte characters are 65,538 bytes.
    const overUtf8 = { type: 'send', id: nextId(), to: 'judy', body: 'é'.repeat(MAX_BODY_BYTES / 2 + 1) };
    assertError(await ivan.call(overUtf8), 'too_large', overUtf8.id);
    await assertStillOpen(ivan);

    const atLimit = { type: 'send', id: nextId(), to: 'judy', body: 'y'.repeat(MAX_BODY_BYTES) };
    assertSent(await ivan.call(atLimit));

    const res = await request(demo.baseUrl, 'POST', '/v1/send',
      { token: tokens.ivan, body: { type: 'send', id: nextId(), to: 'judy', body: 'z'.repeat(MAX_BODY_BYTES + 1) } });
    assert.equal(res.status, 413, res.text);
    assertError(res.json, 'too_large');
  });

  it('a WebSocket frame over 1 MiB closes the socket with 1009', { timeout: TEST_TIMEOUT_MS }, async () => {
    const victim = await WsSession.open(demo, 'ivan', tokens.ivan);
    victim.send({ type: 'send', id: nextId(), to: 'judy', body: 'w'.repeat(MAX_FRAME_BYTES + 1024) });
    const { code } = await victim.closed;
    assert.equal(code, 1009);
    await assertStillOpen(ivan);
  });

  it('sending to a group one is not in gets forbidden, and nothing is written', { timeout: TEST_TIMEOUT_MS }, async () => {
    const frame = { type: 'send', id: nextId(), conversation: 'g:club', body: 'let me in' };
    assertError(await ivan.call(frame), 'forbidden', frame.id);
    await assertStillOpen(ivan);

    const res = await request(demo.baseUrl, 'POST', '/v1/send',
      { token: tokens.ivan, body: { ...frame, id: nextId(), ref: 'http-forbidden' } });
    assert.equal(res.status, 403, res.text);
    assertError(res.json, 'forbidden', 'http-forbidden');

    for (const path of ['/v1/history/g:club', '/v1/groups/club', '/v1/history/dm:judy:kim']) {
      const read = await request(demo.baseUrl, 'GET', path, { token: tokens.ivan });
      assert.equal(read.status, 403, `${path}: ${read.status} ${read.text}`);
      assertError(read.json, 'forbidden');
    }

    const history = await expectStatus(200, demo.baseUrl, 'GET', '/v1/history/g:club', { token: tokens.kim });
    assert.deepEqual(history.messages, [], 'a refused send must not reach the group');
  });

  it('creating a group that exists gets 409 conflict', { timeout: TEST_TIMEOUT_MS }, async () => {
    const res = await request(demo.baseUrl, 'POST', '/v1/groups',
      { token: tokens.ivan, body: { group: 'club', members: [] } });
    assert.equal(res.status, 409, res.text);
    assertError(res.json, 'conflict');
  });
});
