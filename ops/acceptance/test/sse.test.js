// Server-Sent Events with npm's EventSource: hello carries the start position, every msg event's id
// is its seq, and a client that comes back with Last-Event-ID gets exactly what it missed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, Demo } from '../lib/demo.js';
import { assertContiguous, assertHello, assertMsg, assertSent } from '../lib/frames.js';
import { devTokens, expectStatus, request } from '../lib/http.js';
import { SseClient } from '../lib/sse-client.js';

const TEST_TIMEOUT_MS = 30_000;

describe('SSE', { timeout: 90_000 }, () => {
  let demo;
  let tokens;
  const streams = [];
  const stream = (options) => {
    const client = new SseClient(demo, tokens.erin, options);
    streams.push(client);
    return client;
  };
  let sent = 0;
  /** frank writes to erin over HTTP; answers the `sent` frame. */
  const frankSends = async () => {
    sent += 1;
    return assertSent(await expectStatus(200, demo.baseUrl, 'POST', '/v1/send',
      { token: tokens.frank, body: { type: 'send', id: `f-${sent}`, to: 'erin', body: `note ${sent}` } }));
  };
  /** The `msg` events, each checked: `id` is the seq, `data` the exact msg frame. */
  const msgEvents = async (client, count) => (await client.nextN('msg', count)).map((event) => {
    const frame = assertMsg(event.data);
    assert.equal(event.id, String(frame.seq), `event id should be the seq: ${JSON.stringify(event)}`);
    return frame;
  });

  before(async () => {
    demo = await Demo.start();
    tokens = await devTokens(demo, ['erin', 'frank']);
  });

  after(async () => {
    streams.forEach((client) => client.close());
    await demo?.stop({ removeData: true });
  });

  it('answers text/event-stream, uncached and unbuffered, starting with retry: 2000 and hello', { timeout: TEST_TIMEOUT_MS }, async () => {
    const controller = new AbortController();
    // The token as a query parameter, as a browser EventSource would send it.
    const res = await fetch(`${demo.baseUrl}/v1/sse?token=${encodeURIComponent(tokens.erin)}`,
      { signal: controller.signal });
    try {
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream\b/);
      const cacheControl = (res.headers.get('cache-control') ?? '').split(',').map((d) => d.trim().toLowerCase());
      assert.ok(cacheControl.includes('no-cache'), `Cache-Control: ${res.headers.get('cache-control')}`);
      assert.equal(res.headers.get('x-accel-buffering'), 'no');

      // Read until the first event is complete (a blank line after the hello data).
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      const bound = setTimeout(() => controller.abort(), 10_000);
      while (!/\ndata: [^\n]*\r?\n\r?\n/.test(text)) {
        const { value, done } = await reader.read();
        assert.ok(!done, `stream ended early: ${JSON.stringify(text)}`);
        text += value;
      }
      clearTimeout(bound);
      assert.match(text, /^retry: 2000\r?\n/, `first bytes: ${JSON.stringify(text.slice(0, 40))}`);
      const hello = text.match(/(?:^|\n)id: (\d+)\r?\nevent: hello\r?\ndata: ([^\r\n]*)\r?\n/);
      assert.ok(hello, `no hello event with an id: ${JSON.stringify(text)}`);
      const frame = assertHello(JSON.parse(hello[2]), 'erin');
      assert.equal(hello[1], String(frame.head));
    } finally {
      controller.abort();
    }
  });

  it('streams msg events with id = seq and resumes from Last-Event-ID with exactly the missed ones', { timeout: TEST_TIMEOUT_MS }, async () => {
    const live = stream();
    const hello = await live.next('hello');
    assertHello(hello.data, 'erin');
    assert.equal(hello.id, String(hello.data.head), 'the hello event id is the head of a live stream');
    const head = hello.data.head;

    const acks = [await frankSends(), await frankSends(), await frankSends()];
    const first = await msgEvents(live, 3);
    assertContiguous(first, 'seq', head + 1);
    assert.deepEqual(first.map((m) => [m.id, m.from, m.conversation, m.ts]),
      acks.map((a) => [a.id, 'frank', 'dm:erin:frank', a.ts]));
    const lastSeen = first[2].seq;
    live.close();

    // Missed while away: two messages.
    const missed = [await frankSends(), await frankSends()];

    // Last-Event-ID wins over since=0: only the two missed come back, then live without a gap.
    const resumed = stream({ query: 'since=0', lastEventId: lastSeen });
    const resumedHello = await resumed.next('hello');
    assertHello(resumedHello.data, 'erin');
    assert.equal(resumedHello.id, String(lastSeen), 'the hello event id is the resumed position');
    const replayed = await msgEvents(resumed, 2);
    assert.deepEqual(replayed.map((m) => m.seq), [lastSeen + 1, lastSeen + 2]);
    assert.deepEqual(replayed.map((m) => m.id), missed.map((a) => a.id));

    const next = await frankSends();
    const [liveAgain] = await msgEvents(resumed, 1);
    assert.deepEqual([liveAgain.seq, liveAgain.id], [lastSeen + 3, next.id]);
    assert.deepEqual(resumed.events, [], 'nothing but the missed and the new message');
    resumed.close();
  });

  it('EventSource reconnects by itself after the server ends the stream and misses nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const client = stream({ query: 'since=0' });
    await client.next('hello');
    const backlog = await msgEvents(client, 6);
    assertContiguous(backlog, 'seq', 1);

    const disconnect = await request(demo.adminUrl, 'POST', '/admin/users/erin/disconnect', { token: ADMIN_TOKEN });
    assert.ok(disconnect.status >= 200 && disconnect.status < 300, `admin disconnect: ${disconnect.status} ${disconnect.text}`);
    await client.awaitConnectionErrors(1);

    const whileAway = await frankSends();
    // The library waits `retry` (2 s), then reconnects with Last-Event-ID: 6.
    const hello = await client.next('hello');
    assert.equal(hello.id, '6');
    const [caughtUp] = await msgEvents(client, 1);
    assert.deepEqual([caughtUp.seq, caughtUp.id], [7, whileAway.id]);
    assert.equal(client.opens, 2);
    client.close();
  });
});
