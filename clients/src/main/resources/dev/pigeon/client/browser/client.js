// Pigeon browser client: a dependency-free ES module, served by the gateway at /client.js.
//
//   import { connect } from '/client.js';
//   const client = connect({ token, server, transports });
//   client.on('msg', (msg) => ...);            // every inbox entry once, in seq order (cached ones first)
//   const sent = await client.send({ to: 'bob', body: 'hi' });
//
// One tab per user and browser holds the connection (the leader, elected through the Web Locks API);
// the other tabs follow it over a BroadcastChannel. The inbox is cached in IndexedDB, so a reload shows
// it at once and resumes from the cached seq. Sends wait in a queue kept in the same database until the
// server confirms them, so one written offline survives a reload. The wire protocol is PROTOCOL.md,
// version 1.

const DEFAULT_TRANSPORTS = ['ws', 'sse', 'poll'];
const MAX_BODY_BYTES = 64 * 1024;
const SYNC_PAGE = 1000;
const POLL_WAIT_SECONDS = 25;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 10_000;
/** A transport that has not opened (hello, or a first sync answer) within this long is given up. */
const OPEN_TIMEOUT_MS = 6_000;
const DEFAULT_HEARTBEAT_MS = 25_000;
const ACK_DELAY_MS = 1_000;
const DB_NAME = 'pigeon-client';
const DB_VERSION = 2;

/** Opens a client; see the module comment. `storage: false` keeps the inbox and the send queue in memory only. */
export function connect(options = {}) {
  return new PigeonClient(options);
}

/** An error from the server or from the client's own checks, with a PROTOCOL.md error `code`. */
export class PigeonError extends Error {
  constructor(code, message, ref) {
    super(`${code}: ${message}`);
    this.name = 'PigeonError';
    this.code = code;
    this.ref = ref;
  }
}

function log(...args) {
  console.warn('[pigeon]', ...args);
}

/** Full jitter over an exponential step: spreads a crowd of reconnecting clients out. */
function backoffDelay(attempt) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 10));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

function newMessageId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
}

/** The `sub` of a JWT, read without checking it (the server checks it): names the cache and the lock. */
function subjectOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part + '='.repeat((4 - (part.length % 4)) % 4))).sub ?? '';
  } catch {
    return '';
  }
}

/** A send waiting for its `sent`; its promise may go unheard (another tab's send, one restored from storage). */
function queuedSend(frame) {
  const entry = { frame, inFlight: false, persisted: false };
  entry.promise = new Promise((resolve, reject) => Object.assign(entry, { resolve, reject }));
  entry.promise.catch(() => {});
  return entry;
}

function isMsg(frame) {
  return frame && frame.type === 'msg' && Number.isSafeInteger(frame.seq) && frame.seq > 0
    && typeof frame.conversation === 'string';
}

class PigeonClient {
  #tokenSource;
  #server;
  #transports;
  #listeners = new Map();
  #state = 'connecting';
  #transport = null;
  #closed = false;
  #user = null;
  #owner = null;
  #tab = newMessageId();

  // the inbox as this tab knows it: contiguous from the first entry up to #lastSeq
  #lastSeq = 0;
  #epoch = null;
  #inbox = [];
  #early = new Map();          // entries beyond a gap, held until the gap is filled
  #syncing = false;
  #syncProgress = 0;

  #outbox = new Map();         // id -> queuedSend(frame), in the order the sends were made
  #reads = new Map();          // conversation -> up_to not yet transmitted
  #cache = null;
  #cacheReady;

  // leader only
  #leading = false;
  #link = null;                // the live transport
  #transportIndex = 0;
  #attempt = 0;
  #retryTimer = null;
  #releaseLock = null;
  #ackTimer = null;
  #ackedUpTo = 0;
  #sendRetryTimer = null;

  #channel = null;
  #lockAbort = null;

  constructor({ token, server, transports, storage = true } = {}) {
    if (!token) throw new TypeError('connect() needs a token (a string, or a function returning one)');
    this.#tokenSource = typeof token === 'function' ? token : () => token;
    this.#server = new URL(server ?? globalThis.location.origin);
    this.#transports = (transports ?? DEFAULT_TRANSPORTS).filter((t) => DEFAULT_TRANSPORTS.includes(t));
    if (!this.#transports.length) throw new TypeError(`transports must name some of ${DEFAULT_TRANSPORTS}`);
    this.#cacheReady = this.#start(typeof token === 'string' ? token : null, storage);
  }

  /** 'ws', 'sse' or 'poll' in the tab holding the connection, 'follower' in the others. */
  get transport() {
    return this.#transport;
  }

  /** 'connecting', 'open' or 'offline'. */
  get state() {
    return this.#state;
  }

  /** The newest inbox position this tab holds without a gap. */
  get lastSeq() {
    return this.#lastSeq;
  }

  /** The user the token names, once known. */
  get user() {
    return this.#user;
  }

  /**
   * Listens to 'msg', 'receipt', 'state', 'reset' (the cache was rebuilt from the server: forget what
   * was shown) or 'error' (a server error not tied to a send). Returns a function that stops listening.
   */
  on(event, callback) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(callback);
    return () => this.#listeners.get(event).delete(callback);
  }

  /**
   * Sends `{ to | conversation, body, id?, format? }`; resolves to the `sent` frame once the message is
   * durable. Queued while offline, in IndexedDB too, and sent again after a reconnect or, if the page goes
   * first, when the user's next page starts (the id makes it happen once). Sends go out one at a time, in
   * the order they were made, so that the conversation keeps that order.
   */
  send({ to, conversation, body, id, format } = {}) {
    const problem = this.#checkSend({ to, conversation, body, id, format });
    if (problem) return Promise.reject(problem);
    const frame = { type: 'send', id: id ?? newMessageId(), body };
    if (conversation !== undefined) frame.conversation = conversation; else frame.to = to;
    if (format !== undefined) frame.format = format;
    const existing = this.#outbox.get(frame.id);
    if (existing) return existing.promise;
    const entry = queuedSend(frame);
    this.#outbox.set(frame.id, entry);
    this.#enqueueSend(entry);
    return entry.promise;
  }

  /** Moves this user's read marker in `conversation` to `upTo` (a conv_seq); the others get a receipt. */
  read(conversation, upTo) {
    if (typeof conversation !== 'string' || !Number.isSafeInteger(upTo) || upTo < 0) {
      throw new TypeError('read(conversation, upTo) needs a conversation id and a conv_seq');
    }
    this.#reads.set(conversation, Math.max(upTo, this.#reads.get(conversation) ?? 0));
    this.#flushReads();
  }

  /**
   * Closes the connection (another tab takes over if one is open) and stops reconnecting. Pending sends
   * are rejected here but stay queued in IndexedDB, for the user's next leading tab to send.
   */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#ackTimer);
    clearTimeout(this.#sendRetryTimer);
    this.#link?.close();
    this.#link = null;
    this.#lockAbort?.abort();
    this.#releaseLock?.();
    this.#channel?.close();
    this.#cache?.close();
    for (const entry of this.#outbox.values()) entry.reject(new PigeonError('unavailable', 'the client was closed', entry.frame.id));
    this.#outbox.clear();
    this.#setState('offline');
  }

  // ---- start-up: cache, then election ----

  async #start(knownToken, storage) {
    // the token names the user, whose cache and lock these are: wait for one (the server may be down)
    for (let attempt = 0; this.#user === null; attempt += 1) {
      try {
        this.#user = subjectOf(knownToken ?? (await this.#tokenSource()));
      } catch (e) {
        log('no token yet', e);
        this.#setState('offline');
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt)));
        if (this.#closed) return;
      }
    }
    this.#owner = `${this.#server.origin}|${this.#user}`;
    if (storage && globalThis.indexedDB) {
      try {
        this.#cache = await InboxCache.open(this.#owner);
        const { meta, messages } = await this.#cache.load();
        this.#epoch = meta?.epoch ?? null;
        this.#accept(messages, { store: false });
      } catch (e) {
        log('the IndexedDB cache is not available; running without it', e);
        this.#cache = null;
      }
    }
    if (this.#closed) return;
    this.#elect();
  }

  #elect() {
    if (!globalThis.navigator?.locks || typeof BroadcastChannel !== 'function') {
      this.#lead();
      return;
    }
    const name = `pigeon:${this.#owner}`;
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (event) => this.#onTabMessage(event.data);
    this.#lockAbort = new AbortController();
    const hold = () => new Promise((release) => {
      this.#releaseLock = release;
      this.#lead();
    });
    navigator.locks.request(name, { ifAvailable: true }, (lock) => (lock ? hold() : null)).then(() => {
      if (this.#leading || this.#closed) return;
      this.#follow();
      return navigator.locks.request(name, { signal: this.#lockAbort.signal }, () => (this.#closed ? null : hold()));
    }).catch((e) => {
      if (e?.name !== 'AbortError') log('leader election failed', e);
    });
  }

  // ---- followers: everything through the leader tab ----

  #follow() {
    this.#transport = 'follower';
    this.#post({ kind: 'join', tab: this.#tab, since: this.#lastSeq });
    for (const entry of this.#outbox.values()) this.#post({ kind: 'send', frame: entry.frame });
    this.#emit('state', this.#state);
  }

  #onTabMessage(message) {
    if (!message || typeof message !== 'object') return;
    if (this.#leading) {
      switch (message.kind) {
        case 'join':
          this.#post({ kind: 'catchup', tab: message.tab, state: this.#state, reset: false,
            messages: this.#inbox.filter((m) => m.seq > message.since) });
          break;
        case 'send':
          if (message.frame?.type === 'send' && typeof message.frame.id === 'string' && !this.#outbox.has(message.frame.id)) {
            // the 'sent' broadcast settles the follower's promise; this one goes unheard
            const entry = queuedSend(message.frame);
            this.#outbox.set(message.frame.id, entry);
            this.#enqueueSend(entry);
          }
          break;
        case 'read':
          if (typeof message.conversation !== 'string' || !Number.isSafeInteger(message.upTo)) break;
          this.#reads.set(message.conversation, Math.max(message.upTo, this.#reads.get(message.conversation) ?? 0));
          this.#flushReads();
          break;
        default:
      }
      return;
    }
    switch (message.kind) {
      case 'leader':                // a new leader: it may not have what was forwarded to the old one
        this.#post({ kind: 'join', tab: this.#tab, since: this.#lastSeq });
        for (const entry of this.#outbox.values()) this.#post({ kind: 'send', frame: entry.frame });
        this.#reads.forEach((upTo, conversation) => this.#post({ kind: 'read', conversation, upTo }));
        break;
      case 'catchup':
        if (message.tab !== this.#tab) return;
        this.#accept(message.messages ?? [], { store: false });
        this.#setState(message.state);
        break;
      case 'frame':
        this.#onFrame(message.frame, { fromLeader: true });
        break;
      case 'state':
        this.#setState(message.state);
        break;
      case 'reset':
        this.#reset();
        break;
      default:
    }
  }

  #post(message) {
    try {
      this.#channel?.postMessage(message);
    } catch (e) {
      log('could not reach the other tabs', e);
    }
  }

  // ---- the leader: one connection, with fallback and reconnects ----

  async #lead() {
    if (this.#closed) return;
    this.#leading = true;
    this.#post({ kind: 'leader', tab: this.#tab });
    await this.#adoptStoredSends();
    this.#connectNext();
  }

  /**
   * Takes over the sends queued in IndexedDB (by an earlier page or the previous leader tab) ahead of
   * the ones only this tab holds, and stores those. Sends that arrive meanwhile are stored after them.
   */
  async #adoptStoredSends() {
    if (!this.#cache) return;
    const stored = await this.#cache.loadSends();
    const merged = new Map();
    for (const frame of stored) {
      const entry = this.#outbox.get(frame.id) ?? queuedSend(frame);
      entry.persisted = true;
      merged.set(frame.id, entry);
    }
    for (const [id, entry] of this.#outbox) {
      if (!merged.has(id)) merged.set(id, entry);
    }
    this.#outbox = merged;
    for (const entry of merged.values()) this.#persist(entry);
  }

  async #connectNext() {
    if (this.#closed) return;
    const kind = this.#transports[this.#transportIndex];
    this.#transport = kind;
    this.#setState('connecting');
    let token;
    try {
      token = await this.#tokenSource();
    } catch (e) {
      log('no token for a reconnect', e);
      this.#scheduleReconnect(false);
      return;
    }
    if (this.#closed) return;
    const handlers = {
      open: (hello) => this.#onOpen(link, hello),
      frame: (frame) => link === this.#link && this.#onFrame(frame),
      close: (opened) => this.#onLinkClosed(link, opened),
    };
    const endpoint = { server: this.#server, token, since: this.#lastSeq };
    const link = kind === 'ws' ? new WebSocketLink(endpoint, handlers)
      : kind === 'sse' ? new EventSourceLink(endpoint, handlers)
        : new PollLink(endpoint, handlers, () => this.#lastSeq);
    this.#link = link;
    link.start();
  }

  #onOpen(link, hello) {
    if (link !== this.#link) return;
    this.#attempt = 0;
    this.#setState('open');
    if (hello) {
      const epochChanged = this.#epoch !== null && hello.epoch !== undefined && hello.epoch !== this.#epoch;
      if (hello.epoch !== undefined) this.#epoch = hello.epoch;
      if (epochChanged || (Number.isSafeInteger(hello.head) && hello.head < this.#lastSeq)) {
        this.#rebuild(epochChanged ? 'the epoch changed' : 'the server is behind the cache');
      }
    }
    for (const entry of this.#outbox.values()) entry.inFlight = false;
    this.#flushSends();
    this.#flushReads();
  }

  #onLinkClosed(link, opened) {
    if (link !== this.#link) return;
    this.#link = null;
    this.#syncing = false;
    for (const entry of this.#outbox.values()) entry.inFlight = false;
    if (this.#closed) return;
    this.#scheduleReconnect(opened);
  }

  /** After an open link drops: the same transport again; a link that never opened: the next one. */
  #scheduleReconnect(wasOpen) {
    clearTimeout(this.#retryTimer);
    let delay = 0;
    if (wasOpen) {
      delay = backoffDelay(this.#attempt++);
    } else {
      this.#transportIndex = (this.#transportIndex + 1) % this.#transports.length;
      if (this.#transportIndex === 0) delay = backoffDelay(this.#attempt++);
    }
    this.#setState(delay > 0 ? 'offline' : 'connecting');
    this.#retryTimer = setTimeout(() => this.#connectNext(), delay);
  }

  // ---- frames ----

  #onFrame(frame, { fromLeader = false } = {}) {
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') {
      log('ignoring a frame that is not a frame', frame);
      return;
    }
    if (this.#leading && frame.type !== 'pong' && frame.type !== 'synced') this.#post({ kind: 'frame', frame });
    switch (frame.type) {
      case 'msg':
        if (!isMsg(frame)) {
          log('ignoring a malformed msg', frame);
          return;
        }
        this.#accept([frame], { store: !fromLeader });
        break;
      case 'sent':
        this.#dequeueSend(frame.id)?.resolve(frame);
        break;
      case 'receipt':
        this.#emit('receipt', frame);
        break;
      case 'synced':
        this.#onSynced(frame.head);
        break;
      case 'error':
        this.#onError(frame);
        break;
      default:                     // hello, pong, history and anything newer than this client
    }
  }

  #onError(frame) {
    const entry = frame.ref !== undefined ? this.#outbox.get(frame.ref) : undefined;
    if (entry && frame.code !== 'unavailable' && frame.code !== 'rate_limited') {
      this.#dequeueSend(frame.ref).reject(new PigeonError(frame.code, frame.message ?? '', frame.ref));
      return;
    }
    if (entry) {
      // nothing was written: the same id is safe to send again a little later (the leader does)
      entry.inFlight = false;
      if (this.#leading) {
        clearTimeout(this.#sendRetryTimer);
        this.#sendRetryTimer = setTimeout(() => this.#flushSends(), backoffDelay(1));
      }
      return;
    }
    this.#emit('error', new PigeonError(frame.code ?? 'unknown', frame.message ?? '', frame.ref));
  }

  /**
   * Takes inbox entries in: repeats are dropped, entries beyond a gap wait for it to be filled (a sync
   * is asked for), contiguous ones are emitted, cached and, in the leader, acknowledged.
   */
  #accept(messages, { store }) {
    const fresh = [];
    for (const msg of messages) {
      if (!isMsg(msg) || msg.seq <= this.#lastSeq) continue;
      this.#early.set(msg.seq, msg);
    }
    while (this.#early.has(this.#lastSeq + 1)) {
      const msg = this.#early.get(this.#lastSeq + 1);
      this.#early.delete(msg.seq);
      this.#lastSeq = msg.seq;
      this.#inbox.push(msg);
      fresh.push(msg);
    }
    for (const seq of this.#early.keys()) {
      if (seq <= this.#lastSeq) this.#early.delete(seq);
    }
    if (fresh.length) {
      if (store && this.#leading) this.#cache?.append(fresh, this.#lastSeq, this.#epoch);
      for (const msg of fresh) this.#emit('msg', msg);
      if (this.#leading) this.#scheduleAck();
    }
    if (this.#early.size) this.#requestSync();
  }

  #requestSync() {
    if (!this.#leading) {
      this.#post({ kind: 'join', tab: this.#tab, since: this.#lastSeq });
      return;
    }
    if (this.#syncing || !this.#link || this.#state !== 'open') return;
    this.#syncing = true;
    this.#syncProgress = this.#lastSeq;
    this.#link.sync(this.#lastSeq, SYNC_PAGE);
  }

  /** The end of one sync page: go on while it helps; a gap no sync fills means the cache is wrong. */
  #onSynced(head) {
    this.#syncing = false;
    const progressed = this.#lastSeq > this.#syncProgress;
    const behind = Number.isSafeInteger(head) && head > this.#lastSeq;
    if (Number.isSafeInteger(head) && head < this.#lastSeq) {
      this.#rebuild('the server is behind the cache');
    } else if (behind || this.#early.size) {
      if (progressed) this.#requestSync();
      else this.#rebuild('a gap that sync cannot fill');
    }
  }

  #rebuild(reason) {
    log(`rebuilding the inbox cache from the server: ${reason}`);
    this.#reset();
    this.#post({ kind: 'reset' });
    this.#cache?.clear();
    this.#syncing = false;
    this.#requestSync();
  }

  #reset() {
    this.#lastSeq = 0;
    this.#ackedUpTo = 0;
    this.#inbox = [];
    this.#early.clear();
    this.#emit('reset');
  }

  #scheduleAck() {
    if (this.#ackTimer) return;
    this.#ackTimer = setTimeout(() => {
      this.#ackTimer = null;
      if (this.#lastSeq > this.#ackedUpTo && this.#link && this.#state === 'open') {
        this.#ackedUpTo = this.#lastSeq;
        this.#link.transmit({ type: 'ack', up_to: this.#lastSeq });
      }
    }, ACK_DELAY_MS);
  }

  // ---- upstream ----

  #checkSend({ to, conversation, body, id, format }) {
    if (this.#closed) return new PigeonError('unavailable', 'the client is closed');
    if ((to === undefined) === (conversation === undefined)) {
      return new PigeonError('bad_request', 'a send names either to or conversation');
    }
    if (typeof (to ?? conversation) !== 'string' || !(to ?? conversation)) {
      return new PigeonError('bad_request', 'to or conversation must be a non-empty string');
    }
    if (typeof body !== 'string') return new PigeonError('bad_request', 'body must be a string');
    if (utf8Length(body) > MAX_BODY_BYTES) {
      return new PigeonError('too_large', `body exceeds ${MAX_BODY_BYTES} bytes of UTF-8`, id);
    }
    if (id !== undefined && (typeof id !== 'string' || id.length < 1 || id.length > 64)) {
      return new PigeonError('bad_request', 'id must be 1 to 64 characters');
    }
    if (format !== undefined && typeof format !== 'string') return new PigeonError('bad_request', 'format must be a string');
    return null;
  }

  /** The leader stores a new send and sends it in its turn; a follower hands it to the leader. */
  #enqueueSend(entry) {
    if (this.#leading) {
      this.#persist(entry);
      this.#flushSends();
    } else {
      this.#post({ kind: 'send', frame: entry.frame });
    }
  }

  #persist(entry) {
    if (entry.persisted || !this.#leading || !this.#cache) return;
    entry.persisted = true;
    this.#cache.putSend(entry.frame);
  }

  /** The oldest send goes out alone: the server may handle concurrent sends in any order. */
  #flushSends() {
    if (!this.#leading || !this.#link || this.#state !== 'open') return;
    const next = this.#outbox.values().next().value;
    if (!next || next.inFlight) return;
    next.inFlight = true;
    this.#link.transmit(next.frame);
  }

  /** Takes a settled send off the queue (and, in the leader, out of IndexedDB); the next one goes. */
  #dequeueSend(id) {
    const entry = this.#outbox.get(id);
    if (!entry) return null;
    this.#outbox.delete(id);
    if (this.#leading) {
      this.#cache?.deleteSend(id);
      this.#flushSends();
    }
    return entry;
  }

  #flushReads() {
    for (const [conversation, upTo] of this.#reads) {
      if (!this.#leading) {
        this.#post({ kind: 'read', conversation, upTo });
      } else if (this.#link && this.#state === 'open') {
        this.#link.transmit({ type: 'read', conversation, up_to: upTo });
      } else {
        continue;
      }
      this.#reads.delete(conversation);
    }
  }

  // ---- events ----

  #setState(state) {
    if (!['connecting', 'open', 'offline'].includes(state) || state === this.#state) return;
    this.#state = state;
    if (this.#leading) this.#post({ kind: 'state', state });
    this.#emit('state', state);
  }

  #emit(event, value) {
    for (const callback of this.#listeners.get(event) ?? []) {
      try {
        callback(value);
      } catch (e) {
        log(`a '${event}' listener failed`, e);
      }
    }
  }
}

// ---- transports: each opens once, reports frames, and reports its close once ----

function endpointUrl({ server, token }, path, params, scheme) {
  const url = new URL(path, server);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  url.searchParams.set('token', token);
  if (scheme) url.protocol = server.protocol === 'https:' ? `${scheme}s:` : `${scheme}:`;
  return url;
}

async function fetchJson(endpoint, method, path, params, body, signal) {
  const url = new URL(path, endpoint.server);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  const response = await fetch(url, {
    method,
    signal,
    headers: { Authorization: `Bearer ${endpoint.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new PigeonError('bad_response', `HTTP ${response.status} with a body that is not JSON`);
    }
  }
  return { status: response.status, json };
}

/** A link that gives up when it has not opened in time, and reports one close. */
class Link {
  #closed = false;
  #opened = false;
  #openTimer;

  constructor(handlers) {
    this.handlers = handlers;
    this.#openTimer = setTimeout(() => this.fail('did not open in time'), OPEN_TIMEOUT_MS);
  }

  get active() {
    return !this.#closed;
  }

  opened(hello) {
    if (this.#closed || this.#opened) return;
    this.#opened = true;
    clearTimeout(this.#openTimer);
    this.handlers.open(hello);
  }

  fail(reason) {
    if (this.#closed) return;
    if (reason) log(`${this.constructor.name}: ${reason}`);
    this.close();
    this.handlers.close(this.#opened);
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#openTimer);
    this.shutdown();
  }

  shutdown() {}
}

/** The HTTP upstream that SSE and long-poll share: send, read and ack as POSTs, sync as GETs. */
class HttpUpstreamLink extends Link {
  constructor(endpoint, handlers) {
    super(handlers);
    this.endpoint = endpoint;
    this.abort = new AbortController();
  }

  shutdown() {
    this.abort.abort();
  }

  transmit(frame) {
    const path = { send: '/v1/send', read: '/v1/read', ack: '/v1/ack' }[frame.type];
    fetchJson(this.endpoint, 'POST', path, {}, frame, this.abort.signal).then(({ status, json }) => {
      if (status === 200 || status === 204) {
        if (json) this.handlers.frame(json);
      } else if (status === 401) {
        this.fail('the token was refused');
      } else {
        const code = status >= 500 || status === 429 ? 'unavailable' : 'bad_request';
        this.handlers.frame(json?.type === 'error' ? { ref: frame.id, ...json }
          : { type: 'error', code, message: `HTTP ${status}`, ref: frame.id });
      }
    }, (e) => {
      if (!this.active) return;
      // the network failed under a request: what was sent goes again on the next link
      this.fail(`${frame.type} failed: ${e.message}`);
    });
  }

  sync(since, limit) {
    fetchJson(this.endpoint, 'GET', '/v1/sync', { since, limit }, null, this.abort.signal).then(({ status, json }) => {
      if (status !== 200 || !Array.isArray(json?.messages)) throw new PigeonError('bad_response', `sync answered ${status}`);
      this.page(json);
      this.handlers.frame({ type: 'synced', head: json.head });
    }).catch((e) => this.active && this.fail(`sync failed: ${e.message}`));
  }

  page(json) {
    for (const msg of json.messages) this.handlers.frame(msg);
  }
}

class WebSocketLink extends Link {
  #socket;
  #heartbeat;
  #lastHeard = Date.now();

  constructor(endpoint, handlers) {
    super(handlers);
    this.endpoint = endpoint;
  }

  start() {
    const url = endpointUrl(this.endpoint, '/v1/ws', { since: this.endpoint.since }, 'ws');
    try {
      this.#socket = new WebSocket(url, 'pigeon.v1.json');
    } catch (e) {
      queueMicrotask(() => this.fail(`WebSocket refused: ${e.message}`));
      return;
    }
    this.#socket.onmessage = (event) => this.#onMessage(event.data);
    this.#socket.onclose = (event) => this.fail(`WebSocket closed (${event.code}${event.reason ? ` ${event.reason}` : ''})`);
    this.#socket.onerror = () => {};
  }

  #onMessage(data) {
    this.#lastHeard = Date.now();
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      log('ignoring a WebSocket message that is not JSON', typeof data === 'string' ? data.slice(0, 200) : data);
      return;
    }
    if (frame?.type === 'hello') {
      this.#startHeartbeat(Number.isSafeInteger(frame.heartbeat_ms) && frame.heartbeat_ms > 0
        ? frame.heartbeat_ms : DEFAULT_HEARTBEAT_MS);
      this.opened(frame);
    }
    this.handlers.frame(frame);
  }

  /** Pings the server; a connection that stays silent for two beats is dead and goes. */
  #startHeartbeat(ms) {
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => {
      if (Date.now() - this.#lastHeard > 2 * ms) this.fail('the server went silent');
      else this.transmit({ type: 'ping' });
    }, ms);
  }

  transmit(frame) {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(frame));
  }

  sync(since, limit) {
    this.transmit({ type: 'sync', since, limit });
  }

  shutdown() {
    clearInterval(this.#heartbeat);
    if (this.#socket) {
      this.#socket.onclose = null;
      this.#socket.onmessage = null;
      this.#socket.close(1000);
    }
  }
}

class EventSourceLink extends HttpUpstreamLink {
  #source;

  start() {
    if (typeof EventSource !== 'function') {
      queueMicrotask(() => this.fail('EventSource is not available'));
      return;
    }
    const url = endpointUrl(this.endpoint, '/v1/sse', { since: this.endpoint.since });
    this.#source = new EventSource(url);
    const frameOf = (event) => {
      try {
        return JSON.parse(event.data);
      } catch {
        log(`ignoring an SSE '${event.type}' event that is not JSON`, String(event.data).slice(0, 200));
        return null;
      }
    };
    this.#source.addEventListener('hello', (event) => {
      const hello = frameOf(event);
      if (hello) {
        this.opened(hello);
        this.handlers.frame(hello);
      }
    });
    for (const type of ['msg', 'receipt', 'sent', 'synced']) {
      this.#source.addEventListener(type, (event) => {
        const frame = frameOf(event);
        if (frame) this.handlers.frame(frame);
      });
    }
    this.#source.addEventListener('failure', (event) => {
      const frame = frameOf(event);
      if (frame) this.handlers.frame(frame);
    });
    // The stream ends now and then (rotation, a restart): reconnect ourselves from our own position,
    // not EventSource's, so a token refresh and the backoff apply.
    this.#source.onerror = () => this.fail('the event stream ended');
  }

  shutdown() {
    super.shutdown();
    this.#source?.close();
  }
}

class PollLink extends HttpUpstreamLink {
  #position;

  constructor(endpoint, handlers, position) {
    super(endpoint, handlers);
    this.#position = position;
  }

  /** A first immediate sync opens the link; then long-polls from wherever the client has got to. */
  async start() {
    try {
      const first = await this.#get('/v1/sync', { since: this.#position(), limit: SYNC_PAGE });
      this.opened(null);
      this.page(first);
      this.handlers.frame({ type: 'synced', head: first.head });
      while (this.active) {
        const page = await this.#get('/v1/poll', { since: this.#position(), wait: POLL_WAIT_SECONDS, limit: SYNC_PAGE });
        if (!this.active) return;
        this.page(page);
      }
    } catch (e) {
      if (this.active) this.fail(`long-poll failed: ${e.message}`);
    }
  }

  async #get(path, params) {
    const { status, json } = await fetchJson(this.endpoint, 'GET', path, params, null, this.abort.signal);
    if (status !== 200 || !Array.isArray(json?.messages)) throw new PigeonError('bad_response', `${path} answered ${status}`);
    return json;
  }
}

// ---- the IndexedDB cache of one user's inbox, and the queue of their sends ----

class InboxCache {
  #db;
  #owner;
  #queue = Promise.resolve();
  #nextSendOrder = 0;

  constructor(db, owner) {
    this.#db = db;
    this.#owner = owner;
  }

  static open(owner) {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (event) => {
        const db = request.result;
        if (event.oldVersion < 1) {
          db.createObjectStore('messages', { keyPath: ['owner', 'seq'] });
          db.createObjectStore('meta', { keyPath: 'owner' });
        }
        if (event.oldVersion < 2) db.createObjectStore('outbox', { keyPath: ['owner', 'id'] });
      };
      request.onsuccess = () => {
        // a newer version of this client, in another tab, waits for this connection to go
        request.result.onversionchange = () => request.result.close();
        resolve(new InboxCache(request.result, owner));
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('the cache database is blocked by an older version'));
    });
  }

  #range() {
    return IDBKeyRange.bound([this.#owner, 0], [this.#owner, Number.MAX_SAFE_INTEGER]);
  }

  /** The cached entries, contiguous from the first one up to the cached position. */
  load() {
    return new Promise((resolve, reject) => {
      const tx = this.#db.transaction(['messages', 'meta'], 'readonly');
      const meta = tx.objectStore('meta').get(this.#owner);
      const all = tx.objectStore('messages').getAll(this.#range());
      tx.oncomplete = () => {
        const upTo = meta.result?.lastSeq ?? 0;
        const rows = all.result.filter((row) => row.seq <= upTo).map(({ owner, ...msg }) => msg);
        resolve({ meta: meta.result, messages: rows });
      };
      tx.onerror = () => reject(tx.error);
    });
  }

  /** Appends entries and the new position in one transaction, in the order they were taken in. */
  append(messages, lastSeq, epoch) {
    this.#enqueue(['messages', 'meta'], (tx) => {
      const store = tx.objectStore('messages');
      for (const msg of messages) store.put({ ...msg, owner: this.#owner });
      tx.objectStore('meta').put({ owner: this.#owner, lastSeq, epoch });
    });
  }

  /** Forgets the cached inbox (not the queued sends, which the server has not confirmed). */
  clear() {
    this.#enqueue(['messages', 'meta'], (tx) => {
      tx.objectStore('messages').delete(this.#range());
      tx.objectStore('meta').delete(this.#owner);
    });
  }

  /** The queued send frames, oldest first; sends stored after this call come after them. */
  loadSends() {
    return this.#enqueue(['outbox'], (tx) => {
      const all = tx.objectStore('outbox').getAll(IDBKeyRange.bound([this.#owner], [this.#owner, []]));
      return () => {
        const rows = all.result.sort((a, b) => a.order - b.order);
        if (rows.length) this.#nextSendOrder = rows[rows.length - 1].order + 1;
        return rows.map((row) => row.frame).filter((frame) => frame?.type === 'send' && typeof frame.id === 'string');
      };
    }, { mode: 'readonly', fallback: [] });
  }

  putSend(frame) {
    this.#enqueue(['outbox'], (tx) => {
      tx.objectStore('outbox').put({ owner: this.#owner, id: frame.id, order: this.#nextSendOrder++, frame });
    });
  }

  deleteSend(id) {
    this.#enqueue(['outbox'], (tx) => {
      tx.objectStore('outbox').delete([this.#owner, id]);
    });
  }

  /**
   * Runs `work` in a transaction after every earlier one. `work` may return a function that reads its
   * result once the transaction completes; the promise gives that result, or `fallback` on a failure.
   */
  #enqueue(stores, work, { mode = 'readwrite', fallback } = {}) {
    this.#queue = this.#queue.then(() => new Promise((resolve) => {
      const failed = (e) => {
        log('could not use the IndexedDB cache', e);
        resolve(fallback);
      };
      try {
        const tx = this.#db.transaction(stores, mode);
        const result = work(tx);
        tx.oncomplete = () => resolve(result?.());
        tx.onabort = () => failed(tx.error);
      } catch (e) {
        failed(e);
      }
    }));
    return this.#queue;
  }

  close() {
    this.#queue.then(() => this.#db.close());
  }
}
