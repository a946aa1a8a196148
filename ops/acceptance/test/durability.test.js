// What `sent` acknowledged survives a stop with SIGTERM and a start on the same data directory.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Demo, removeDataDir } from '../lib/demo.js';
import { assertContiguous, assertGroup, assertHistoryPage, assertInboxPage, assertSent } from '../lib/frames.js';
import { devTokens, expectStatus } from '../lib/http.js';
import { WsSession } from '../lib/ws-session.js';

describe('durability across a restart', { timeout: 110_000 }, () => {
  let demo;
  let dataDir;

  before(async () => {
    demo = await Demo.start();
    dataDir = demo.dataDir;
  });

  after(async () => {
    await demo?.stop();
    await removeDataDir(dataDir);
  });

  it('after SIGTERM and a start on the same data dir, sync shows every message and seq continues', { timeout: 100_000 }, async () => {
    const users = ['lena', 'mike', 'nora'];
    let tokens = await devTokens(demo, users);
    const sync = async (user) => assertInboxPage(
      await expectStatus(200, demo.baseUrl, 'GET', '/v1/sync?since=0', { token: tokens[user] }));

    assertGroup(await expectStatus(201, demo.baseUrl, 'POST', '/v1/groups',
      { token: tokens.lena, body: { group: 'crew', members: ['mike', 'nora'] } }), 'crew', users);
    const lena = await WsSession.open(demo, 'lena', tokens.lena);
    const acks = [];
    for (let i = 1; i <= 5; i += 1) {
      acks.push(assertSent(await lena.call({ type: 'send', id: `l-dm-${i}`, to: 'mike', body: `dm ${i}` })));
      acks.push(assertSent(await lena.call({ type: 'send', id: `l-g-${i}`, conversation: 'g:crew', body: `crew ${i}` })));
    }
    const before = Object.fromEntries(await Promise.all(users.map(async (u) => [u, await sync(u)])));
    assert.equal(before.lena.length, 10);
    assert.equal(before.mike.length, 10);
    assert.equal(before.nora.length, 5);

    const stopped = await demo.stop();
    assert.equal(stopped.signal === 'SIGKILL', false, 'the demo had to be killed');
    await lena.closed;

    demo = await Demo.start({ dataDir });
    tokens = await devTokens(demo, users);
    for (const user of users) {
      assert.deepEqual(await sync(user), before[user], `${user}'s inbox after the restart`);
    }
    const history = assertHistoryPage(
      await expectStatus(200, demo.baseUrl, 'GET', '/v1/history/g:crew', { token: tokens.nora }), 'g:crew');
    assert.deepEqual(history.map((e) => e.conv_seq), [5, 4, 3, 2, 1]);
    assertGroup(await expectStatus(200, demo.baseUrl, 'GET', '/v1/groups/crew', { token: tokens.nora }), 'crew', users);

    // A retry of an acknowledged send is still recognised: the same sent, nothing new.
    const retried = assertSent(await expectStatus(200, demo.baseUrl, 'POST', '/v1/send',
      { token: tokens.lena, body: { type: 'send', id: 'l-g-5', conversation: 'g:crew', body: 'crew 5' } }));
    assert.deepEqual(retried, acks[9]);

    // New sends continue every position where it stopped.
    const nora = await WsSession.open(demo, 'nora', tokens.nora);
    assert.equal(nora.hello.head, 5);
    const next = assertSent(await nora.call({ type: 'send', id: 'n-1', conversation: 'g:crew', body: 'back again' }));
    assert.deepEqual([next.seq, next.conv_seq], [6, 6]);
    const dm = assertSent(await nora.call({ type: 'send', id: 'n-2', to: 'mike', body: 'hi mike' }));
    assert.deepEqual([dm.seq, dm.conv_seq, dm.conversation], [7, 1, 'dm:mike:nora']);
    const mike = await sync('mike');
    assert.equal(mike.length, 12);
    assertContiguous(mike, 'seq', 1);
    await nora.close();
  });
});
