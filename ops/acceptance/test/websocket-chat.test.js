// The seed scenario over WebSocket: a direct chat, then a group; every inbox contiguous, every member
// seeing one conversation order, history newest first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Demo } from '../lib/demo.js';
import {
  assertContiguous, assertGroup, assertHistoryPage, assertInboxPage, assertMsg, assertSameEntry, assertSent,
} from '../lib/frames.js';
import { devTokens, expectStatus, request } from '../lib/http.js';
import { WsSession } from '../lib/ws-session.js';

const TEST_TIMEOUT_MS = 30_000;

describe('seed scenario over WebSocket', { timeout: 90_000 }, () => {
  let demo;
  let tokens;
  const sessions = [];
  const open = async (user, options) => {
    const session = await WsSession.open(demo, user, tokens[user], options);
    sessions.push(session);
    return session;
  };
  const sync = async (user, since = 0) => assertInboxPage(
    await expectStatus(200, demo.baseUrl, 'GET', `/v1/sync?since=${since}`, { token: tokens[user] }));

  before(async () => {
    demo = await Demo.start();
    tokens = await devTokens(demo, ['alice', 'bob', 'carol', 'dave']);
  });

  after(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await demo?.stop({ removeData: true });
  });

  it('alice and bob chat directly: both get msg at contiguous seq, the sender gets sent', { timeout: TEST_TIMEOUT_MS }, async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    assert.equal(alice.hello.head, 0);
    assert.equal(bob.hello.head, 0);

    // No ref: the id serves as the ref.
    const sent1 = assertSent(await alice.call({ type: 'send', id: 'a-1', to: 'bob', body: 'hi bob' }));
    assert.deepEqual({ ...sent1, ts: 0 },
      { type: 'sent', ref: 'a-1', id: 'a-1', conversation: 'dm:alice:bob', conv_seq: 1, seq: 1, ts: 0 });

    // The reply addresses alice; the conversation is still dm:alice:bob (a < b).
    const sent2 = assertSent(await bob.call({ type: 'send', id: 'b-1', ref: 'req-7', to: 'alice', body: 'hi alice' }));
    assert.deepEqual({ ...sent2, ts: 0 },
      { type: 'sent', ref: 'req-7', id: 'b-1', conversation: 'dm:alice:bob', conv_seq: 2, seq: 2, ts: 0 });

    const aliceMsgs = (await alice.nextN('msg', 2)).map(assertMsg);
    const bobMsgs = (await bob.nextN('msg', 2)).map(assertMsg);
    assert.deepEqual(aliceMsgs, [
      { type: 'msg', seq: 1, conversation: 'dm:alice:bob', conv_seq: 1, from: 'alice', id: 'a-1', body: 'hi bob', ts: sent1.ts },
      { type: 'msg', seq: 2, conversation: 'dm:alice:bob', conv_seq: 2, from: 'bob', id: 'b-1', body: 'hi alice', ts: sent2.ts },
    ]);
    assert.deepEqual(bobMsgs, [
      { type: 'msg', seq: 1, conversation: 'dm:alice:bob', conv_seq: 1, from: 'alice', id: 'a-1', body: 'hi bob', ts: sent1.ts },
      { type: 'msg', seq: 2, conversation: 'dm:alice:bob', conv_seq: 2, from: 'bob', id: 'b-1', body: 'hi alice', ts: sent2.ts },
    ]);
    assert.equal(bob.frames.length, 0, `bob got more than two msg frames: ${JSON.stringify(bob.frames)}`);
  });

  it('a group of alice, carol and dave: every inbox contiguous, one conversation order', { timeout: TEST_TIMEOUT_MS }, async () => {
    const created = await expectStatus(201, demo.baseUrl, 'POST', '/v1/groups',
      { token: tokens.alice, body: { group: 'team', members: ['carol', 'dave'] } });
    assertGroup(created, 'team', ['alice', 'carol', 'dave']);
    assertGroup(await expectStatus(200, demo.baseUrl, 'GET', '/v1/groups/team', { token: tokens.dave }),
      'team', ['alice', 'carol', 'dave']);

    const [alice] = sessions;
    const carol = await open('carol');
    const dave = await open('dave');

    const posts = [
      ['alice', alice, 'g-1', 'welcome to team'],
      ['carol', carol, 'g-2', 'thanks'],
      ['dave', dave, 'g-3', 'hello all'],
      ['alice', alice, 'g-4', 'first item: ship it'],
    ];
    const sent = [];
    for (const [user, session, id, body] of posts) {
      const ack = assertSent(await session.call({ type: 'send', id, conversation: 'g:team', body }));
      assert.equal(ack.conversation, 'g:team');
      assert.equal(ack.conv_seq, sent.length + 1, `${user}'s ${id} should be conv_seq ${sent.length + 1}`);
      sent.push(ack);
    }

    // Live: every member gets every group message once, in conv_seq order, at its next seq.
    for (const [session, firstSeq] of [[alice, 3], [carol, 1], [dave, 1]]) {
      const live = [];
      for (let i = 0; i < posts.length; i += 1) {
        live.push(assertMsg(await session.next((f) => f.type === 'msg' && f.conversation === 'g:team')));
      }
      assertContiguous(live, 'seq', firstSeq);
      assertContiguous(live, 'conv_seq', 1);
      assert.deepEqual(live.map((m) => [m.from, m.id, m.body]), posts.map(([user, , id, body]) => [user, id, body]));
    }

    // Durable: each inbox via /v1/sync holds seq 1..N, group entries in conv_seq order.
    const inboxes = {
      alice: await sync('alice'),
      carol: await sync('carol'),
      dave: await sync('dave'),
      bob: await sync('bob'),
    };
    const expectedLength = { alice: 6, carol: 4, dave: 4, bob: 2 };
    for (const [user, entries] of Object.entries(inboxes)) {
      assert.equal(entries.length, expectedLength[user], `${user}'s inbox: ${JSON.stringify(entries)}`);
      assertContiguous(entries, 'seq', 1);
    }
    const groupEntries = (user) => inboxes[user].filter((e) => e.conversation === 'g:team');
    assertContiguous(groupEntries('alice'), 'conv_seq', 1);
    for (const user of ['carol', 'dave']) {
      groupEntries(user).forEach((entry, i) => assertSameEntry(entry, groupEntries('alice')[i]));
    }
    groupEntries('alice').forEach((entry, i) => {
      assert.equal(entry.ts, sent[i].ts);
      assert.equal(entry.id, sent[i].id);
    });
    assert.deepEqual(inboxes.bob.map((e) => e.conversation), ['dm:alice:bob', 'dm:alice:bob'],
      'bob is not in the group and must not see its messages');

    // head is the newest seq; a later since returns only what follows.
    const page = await expectStatus(200, demo.baseUrl, 'GET', '/v1/sync?since=4&limit=1', { token: tokens.alice });
    assert.deepEqual(assertInboxPage(page).map((e) => e.seq), [5]);
    assert.equal(page.head, 6);
  });

  it('GET /v1/history/g:team answers the conversation log newest first', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await expectStatus(200, demo.baseUrl, 'GET', '/v1/history/g:team', { token: tokens.carol });
    const entries = assertHistoryPage(page, 'g:team');
    assert.deepEqual(entries.map((e) => e.conv_seq), [4, 3, 2, 1]);
    assert.deepEqual(entries.map((e) => e.id), ['g-4', 'g-3', 'g-2', 'g-1']);
    assert.deepEqual(entries.map((e) => e.from), ['alice', 'dave', 'carol', 'alice']);

    const older = await expectStatus(200, demo.baseUrl, 'GET', '/v1/history/g:team?before=3&limit=1',
      { token: tokens.carol });
    assert.deepEqual(assertHistoryPage(older, 'g:team').map((e) => e.conv_seq), [2]);
  });

  it('sync and history frames on an open socket', { timeout: TEST_TIMEOUT_MS }, async () => {
    const [alice] = sessions;
    alice.send({ type: 'sync', since: 4, limit: 100 });
    const replayed = (await alice.nextN('msg', 2)).map(assertMsg);
    assert.deepEqual(replayed.map((m) => m.seq), [5, 6]);
    const synced = await alice.next('synced');
    assert.deepEqual(synced, { type: 'synced', head: 6 });

    const history = await alice.call({ type: 'history', ref: 'h-1', conversation: 'dm:alice:bob', limit: 10 });
    assert.deepEqual(assertHistoryPage(history, 'dm:alice:bob', { frame: true }).map((e) => e.id), ['b-1', 'a-1']);
  });

  it('read markers reach the other members as receipts; ack and read over HTTP answer 204', { timeout: TEST_TIMEOUT_MS }, async () => {
    const [alice, , carol, dave] = sessions;
    carol.send({ type: 'read', conversation: 'g:team', up_to: 3 });
    for (const member of [alice, dave]) {
      assert.deepEqual(await member.next('receipt'),
        { type: 'receipt', conversation: 'g:team', user: 'carol', read_up_to: 3 });
    }
    const read = await request(demo.baseUrl, 'POST', '/v1/read',
      { token: tokens.dave, body: { type: 'read', conversation: 'g:team', up_to: 4 } });
    assert.equal(read.status, 204, read.text);
    assert.equal(read.text, '');
    assert.deepEqual(await carol.next('receipt'), { type: 'receipt', conversation: 'g:team', user: 'dave', read_up_to: 4 });
    const ack = await request(demo.baseUrl, 'POST', '/v1/ack', { token: tokens.dave, body: { type: 'ack', up_to: 4 } });
    assert.equal(ack.status, 204, ack.text);
  });

  it('a session opened with since replays the missed entries, then goes live without a gap', { timeout: TEST_TIMEOUT_MS }, async () => {
    const resumed = await open('dave', { since: 2 });
    const replayed = (await resumed.nextN('msg', 2)).map(assertMsg);
    assert.deepEqual(replayed.map((m) => m.seq), [3, 4]);
    const ack = assertSent(await sessions[0].call({ type: 'send', id: 'g-5', conversation: 'g:team', body: 'one more' }));
    const live = assertMsg(await resumed.next('msg'));
    assert.deepEqual([live.seq, live.conv_seq, live.id, live.ts], [5, 5, 'g-5', ack.ts]);
  });

  it('a message to oneself enters that inbox once, in dm:<user>:<user>', { timeout: TEST_TIMEOUT_MS }, async () => {
    const bob = sessions[1];
    const head = (await sync('bob')).length;
    const ack = assertSent(await bob.call({ type: 'send', id: 'b-note', to: 'bob', body: 'remember the milk' }));
    assert.deepEqual([ack.conversation, ack.conv_seq, ack.seq], ['dm:bob:bob', 1, head + 1]);
    const msg = assertMsg(await bob.next('msg'));
    assert.deepEqual([msg.seq, msg.conversation, msg.id], [head + 1, 'dm:bob:bob', 'b-note']);
    const inbox = await sync('bob');
    assert.deepEqual(inbox.filter((e) => e.conversation === 'dm:bob:bob').map((e) => e.seq), [head + 1]);
    assert.equal(inbox.length, head + 1);
  });

  it('a media message carries its format everywhere; a text message omits it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const [alice, bob] = sessions;
    const frame = { type: 'send', id: 'a-photo', to: 'bob', body: 'https://cdn.example/p.jpg', format: 'image/jpeg' };
    const ack = assertSent(await alice.call(frame));
    const msg = assertMsg(await bob.next((f) => f.type === 'msg' && f.id === 'a-photo'));
    assert.equal(msg.format, 'image/jpeg');
    const [entry] = assertHistoryPage(await expectStatus(200, demo.baseUrl, 'GET',
      '/v1/history/dm:alice:bob?limit=1', { token: tokens.bob }), 'dm:alice:bob');
    assert.deepEqual(entry, { conversation: 'dm:alice:bob', conv_seq: ack.conv_seq, from: 'alice', id: 'a-photo',
      body: frame.body, format: 'image/jpeg', ts: ack.ts });

    const text = assertSent(await alice.call({ type: 'send', id: 'a-text', to: 'bob', body: 'plain', format: 'text' }));
    const plain = assertMsg(await bob.next((f) => f.type === 'msg' && f.id === 'a-text'));
    assert.equal('format' in plain, false, `format text must be omitted: ${JSON.stringify(plain)}`);
    assert.equal(plain.seq, msg.seq + 1);
    assert.equal(text.conv_seq, ack.conv_seq + 1);
  });
});
