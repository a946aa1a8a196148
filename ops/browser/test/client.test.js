// The browser client's inbox cache (IndexedDB) and its handling of bad input: a reload shows the
// conversation at once and resumes from the cached seq; a server behind the cache makes it rebuild;
// malformed frames are survived; oversized bodies are refused; a send queued while offline goes out,
// even after a reload.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Demo } from '../../acceptance/lib/demo.js';
import { ADMIN_TOKEN } from '../../acceptance/lib/demo.js';
import {
  awaitOpen, awaitShown, eventually, launchBrowser, openDemo, openDirect, sendText, shownBodies,
} from '../lib/browser.js';

const TEST_TIMEOUT_MS = 60_000;

/**
 * A browser context whose connections to the server the test controls: `network.blocked` refuses
 * every transport; `network.urls` lists the transports' requests; `network.rewrite` changes server frames on the way to the page; `network.inject`
 * lists raw messages sent to the page right after each hello.
 */
async function controlledContext(browser) {
  const context = await browser.newContext();
  const network = { blocked: false, urls: [], rewrite: (text) => text, inject: [] };
  await context.routeWebSocket(/\/v1\/ws/, (ws) => {
    network.urls.push(ws.url());
    if (network.blocked) {
      ws.close({ code: 1011, reason: 'blocked by the test' });
      return;
    }
    const server = ws.connectToServer();
    server.onMessage((message) => {
      ws.send(network.rewrite(message));
      if (typeof message === 'string' && message.includes('"type":"hello"')) network.inject.forEach((m) => ws.send(m));
    });
  });
  await context.route(/\/v1\/(sse|poll|sync)/, (route) => {
    network.urls.push(route.request().url());
    return network.blocked ? route.abort('connectionrefused') : route.continue();
  });
  return { context, network };
}

async function disconnect(demo, user) {
  const response = await fetch(`${demo.adminUrl}/admin/users/${user}/disconnect`, {
    method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  assert.ok(response.ok, `disconnect answered ${response.status}`);
}

/** The bodies of the sends the page's client holds in IndexedDB, waiting for the server. */
function storedSends(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open('pigeon-client');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const all = db.transaction('outbox').objectStore('outbox').getAll();
      all.onsuccess = () => {
        db.close();
        resolve(all.result.sort((a, b) => a.order - b.order).map((row) => row.frame.body));
      };
      all.onerror = () => reject(all.error);
    };
  }));
}

describe('the browser client', { timeout: 240_000 }, () => {
  let demo;
  let browser;
  let bob;
  let user;
  let serial = 0;

  before(async () => {
    [demo, browser] = await Promise.all([Demo.start(), launchBrowser()]);
    bob = await browser.newContext().then((context) => openDemo(context, demo, 'bob'));
  });

  beforeEach(() => {
    serial += 1;
    user = `user${serial}`;
  });

  after(async () => {
    await browser?.close();
    await demo?.stop({ removeData: true });
  });

  /** A controlled page of `user` in a conversation with bob holding two messages. */
  async function chatting() {
    const { context, network } = await controlledContext(browser);
    const page = await openDemo(context, demo, user);
    await openDirect(page, 'bob');
    await sendText(page, `first from ${user}`);
    await awaitShown(page, `first from ${user}`);
    await sendText(page, `second from ${user}`);
    await awaitShown(page, `second from ${user}`);
    return { context, network, page };
  }

  it('shows the cached conversation at once after a reload and resumes from the cached seq', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, network, page } = await chatting();
    network.blocked = true;
    await page.reload();
    // nothing reaches the server now: what shows comes from IndexedDB
    await awaitShown(page, `second from ${user}`);
    assert.deepEqual(await shownBodies(page), [`first from ${user}`, `second from ${user}`]);
    assert.notEqual(await page.evaluate(() => window.pigeon.state), 'open');
    network.urls.length = 0;
    network.blocked = false;
    await awaitOpen(page, 30_000);
    // whichever transport it was back on, it asked for what follows the cached position
    const positions = network.urls.map((url) => new URL(url).searchParams.get('since'));
    assert.ok(positions.length > 0 && positions.every((since) => since === '2'), `asked with since=${positions}`);
    assert.deepEqual(await shownBodies(page), [`first from ${user}`, `second from ${user}`]);
    await context.close();
  });

  it('rebuilds the cache when the server is behind it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, network, page } = await chatting();
    const logs = [];
    page.on('console', (message) => logs.push(message.text()));
    network.rewrite = (text) => text.replace(/"head":\d+/, '"head":0');
    await page.reload();
    await awaitOpen(page);
    network.rewrite = (text) => text;
    await page.waitForFunction(() => window.pigeon.lastSeq === 2);
    assert.ok(logs.some((line) => line.includes('rebuilding the inbox cache')), logs.join('\n'));
    assert.deepEqual(await shownBodies(page), [`first from ${user}`, `second from ${user}`]);
    await context.close();
  });

  it('survives malformed and unexpected server frames', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, network, page } = await chatting();
    network.inject = ['not json', 'null', '[1,2]', '{"no":"type"}', '{"type":"msg"}',
      '{"type":"msg","seq":"3","conversation":"x"}', '{"type":"from-the-future","seq":3}',
      '{"type":"sent","id":"nobody-sent-this"}', '{"type":"receipt"}',
      `{"type":"msg","seq":999999,"conversation":"dm:bob:${user}","from":"bob","id":"ghost","body":"ghost","conv_seq":99,"ts":1}`];
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.reload();
    await awaitOpen(page);
    await openDirect(bob, user);
    await sendText(bob, `still there, ${user}?`);
    await awaitShown(page, `still there, ${user}?`);
    await sendText(page, 'yes, still here');
    await awaitShown(page, 'yes, still here');
    const bodies = await shownBodies(page);
    assert.ok(!bodies.includes('ghost'), `a message beyond the inbox head was shown: ${bodies}`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('refuses bodies over 64 KiB of UTF-8 before sending them', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, page } = await chatting();
    const outcome = await page.evaluate(async () => {
      const codeOf = (promise) => promise.then((sent) => `sent ${sent.seq}`, (e) => e.code);
      return {
        ascii: await codeOf(window.pigeon.send({ to: 'bob', body: 'x'.repeat(65_537) })),
        twoByte: await codeOf(window.pigeon.send({ to: 'bob', body: 'é'.repeat(32_769) })),
        exact: await codeOf(window.pigeon.send({ to: 'bob', body: 'x'.repeat(65_536) })),
        neither: await codeOf(window.pigeon.send({ body: 'to nobody' })),
      };
    });
    assert.deepEqual(outcome, { ascii: 'too_large', twoByte: 'too_large', exact: 'sent 3', neither: 'bad_request' });
    await context.close();
  });

  it('keeps a send made while offline and sends it once back online', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, network, page } = await chatting();
    network.blocked = true;
    await disconnect(demo, user);
    await page.waitForFunction(() => window.pigeon.state !== 'open');
    await sendText(page, 'written while offline');
    await page.locator('#messages .msg.pending', { hasText: 'written while offline' }).waitFor();
    network.blocked = false;
    await awaitShown(page, 'written while offline', 30_000);
    await bob.locator(`#conversations li[data-conversation="dm:bob:${user}"]`).click();
    await awaitShown(bob, 'written while offline');
    const bodies = await shownBodies(bob);
    assert.equal(bodies.filter((b) => b === 'written while offline').length, 1);
    await context.close();
  });

  it('keeps sends made offline across a reload and sends each once, in order, back online', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { context, network, page } = await chatting();
    network.blocked = true;
    await disconnect(demo, user);
    await page.waitForFunction(() => window.pigeon.state !== 'open');
    for (const text of ['queued first', 'queued second']) {
      await sendText(page, text);
      await page.locator('#messages .msg.pending', { hasText: text }).waitFor();
    }
    // both are stored before the page goes (a write still under way when a page goes may be lost)
    const stored = await eventually(async () => (await storedSends(page)).length === 2 && storedSends(page));
    assert.deepEqual(stored, ['queued first', 'queued second']);
    await page.reload();
    await page.waitForFunction(() => window.pigeon?.user);
    assert.notEqual(await page.evaluate(() => window.pigeon.state), 'open');
    network.blocked = false;
    await awaitOpen(page, 30_000);
    await bob.locator(`#conversations li[data-conversation="dm:bob:${user}"]`).click();
    await awaitShown(bob, 'queued second', 30_000);
    assert.deepEqual(await shownBodies(bob), [`first from ${user}`, `second from ${user}`, 'queued first', 'queued second']);
    assert.deepEqual(await eventually(async () => (await storedSends(page)).length === 0 && []), []);
    await context.close();
  });
});
