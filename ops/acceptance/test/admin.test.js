// The admin port: presence and stats as PROTOCOL.md shapes them, disconnect, metrics, and a token
// required for all of it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, Demo } from '../lib/demo.js';
import { devTokens, expectStatus, request } from '../lib/http.js';
import { SseClient } from '../lib/sse-client.js';
import { WsSession } from '../lib/ws-session.js';

const TEST_TIMEOUT_MS = 30_000;

const isCount = (value) => Number.isSafeInteger(value) && value >= 0;
const isCountMap = (value) => typeof value === 'object' && value !== null
  && Object.values(value).every(isCount);

function assertKeys(what, object, keys) {
  assert.deepEqual(Object.keys(object).sort(), [...keys].sort(), `${what}: ${JSON.stringify(object)}`);
}

describe('admin API', { timeout: 90_000 }, () => {
  let demo;
  let tokens;
  const admin = (method, path) => expectStatus(200, demo.adminUrl, method, path, { token: ADMIN_TOKEN });

  before(async () => {
    demo = await Demo.start();
    tokens = await devTokens(demo, ['quinn', 'rosa']);
  });

  after(async () => {
    await demo?.stop({ removeData: true });
  });

  it('refuses requests without the admin token', { timeout: TEST_TIMEOUT_MS }, async () => {
    for (const token of [undefined, 'wrong-admin-token', tokens.quinn]) {
      const res = await request(demo.adminUrl, 'GET', '/admin/stats', { token });
      assert.equal(res.status, 401, `token ${token}: ${res.status} ${res.text}`);
    }
  });

  it('presence lists every session of a user with its transport', { timeout: TEST_TIMEOUT_MS }, async () => {
    const ws = await WsSession.open(demo, 'quinn', tokens.quinn);
    const sse = new SseClient(demo, tokens.quinn);
    try {
      await sse.next('hello');
      const presence = await admin('GET', '/admin/presence/quinn');
      assertKeys('presence', presence, ['user', 'online', 'home_region', 'sessions']);
      assert.equal(presence.user, 'quinn');
      assert.equal(presence.online, true);
      assert.equal(presence.home_region, ws.hello.home_region);
      assert.deepEqual(presence.sessions.map((s) => s.transport).sort(), ['sse', 'ws']);
      for (const session of presence.sessions) {
        assertKeys('presence session', session,
          ['session', 'node', 'region', 'transport', 'device', 'connected_at', 'last_seen']);
      }
      const wsEntry = presence.sessions.find((s) => s.transport === 'ws');
      assert.equal(wsEntry.session, ws.hello.session);
      assert.equal(wsEntry.node, ws.hello.node);
      assert.equal(wsEntry.region, ws.hello.region);

      const many = await admin('GET', '/admin/presence?user=quinn&user=rosa');
      assertKeys('presence of many', many, ['users']);
      assert.deepEqual(many.users.map((u) => [u.user, u.online]), [['quinn', true], ['rosa', false]]);

      const stats = await admin('GET', '/admin/stats');
      assertKeys('stats', stats, ['online_users', 'sessions', 'by_region', 'by_node', 'by_transport']);
      assert.ok(isCount(stats.online_users) && isCount(stats.sessions), JSON.stringify(stats));
      for (const key of ['by_region', 'by_node', 'by_transport']) {
        assert.ok(isCountMap(stats[key]), `${key}: ${JSON.stringify(stats)}`);
      }
      assert.equal(stats.online_users, 1);
      assert.equal(stats.sessions, 2);
      assert.deepEqual(stats.by_transport, { ...stats.by_transport, ws: 1, sse: 1 });

      // Disconnect: the WebSocket closes with 4000, the SSE stream ends.
      const res = await request(demo.adminUrl, 'POST', '/admin/users/quinn/disconnect', { token: ADMIN_TOKEN });
      assert.ok(res.status >= 200 && res.status < 300, `disconnect: ${res.status} ${res.text}`);
      assert.equal((await ws.closed).code, 4000);
      await sse.awaitConnectionErrors(1);
    } finally {
      sse.close();
      await ws.close();
    }
  });

  it('serves Prometheus metrics', { timeout: TEST_TIMEOUT_MS }, async () => {
    const res = await request(demo.adminUrl, 'GET', '/metrics', { token: ADMIN_TOKEN });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(res.text, /^# (HELP|TYPE) /m);
  });
});
