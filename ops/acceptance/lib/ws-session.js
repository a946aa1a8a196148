// A WebSocket session through the `ws` package: subprotocol pigeon.v1.json, token in `?token=`.
// Frames are queued as they arrive; tests take the ones they expect, in order, with a bound.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { assertHello } from './frames.js';

export const SUBPROTOCOL = 'pigeon.v1.json';
const WAIT_MS = 10_000;

export class WsSession {
  #waiters = [];

  constructor(ws) {
    this.ws = ws;
    this.frames = [];
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    ws.on('message', (data, isBinary) => {
      this.frames.push(isBinary ? { binary: data } : JSON.parse(data.toString()));
      this.#wake();
    });
    ws.on('close', () => this.#wake());
    // An error is followed by 'close'; keep it for the failure message.
    ws.on('error', (e) => {
      this.error = e;
    });
  }

  /** Connects as `user` (the owner of `token`) and waits for `hello`; `since` asks for a replay first. */
  static async open(demo, user, token, { since } = {}) {
    const session = await WsSession.connect(demo, token, { since });
    session.hello = assertHello(await session.next('hello'), user);
    return session;
  }

  /** Connects without waiting for any frame. */
  static async connect(demo, token, { since } = {}) {
    const query = new URLSearchParams({ token });
    if (since !== undefined) {
      query.set('since', String(since));
    }
    const ws = new WebSocket(`${demo.wsUrl}/v1/ws?${query}`, SUBPROTOCOL);
    const session = new WsSession(ws);
    await Promise.race([
      once(ws, 'open'),
      once(ws, 'unexpected-response').then(([, res]) => {
        throw new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`);
      }),
    ]);
    assert.equal(ws.protocol, SUBPROTOCOL, 'the server should select the pigeon.v1.json subprotocol');
    return session;
  }

  #wake() {
    const waiters = this.#waiters;
    this.#waiters = [];
    waiters.forEach((wake) => wake());
  }

  send(frame) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * Takes the oldest queued frame matching `match` (a `type`, or a predicate), waiting up to
   * `timeoutMs` for it. Frames that do not match stay queued.
   */
  async next(match, timeoutMs = WAIT_MS) {
    const matches = typeof match === 'function' ? match : (frame) => frame.type === match;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(matches);
      if (index >= 0) {
        return this.frames.splice(index, 1)[0];
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.ws.readyState === WebSocket.CLOSED) {
        const why = this.ws.readyState === WebSocket.CLOSED ? 'the socket closed' : `${timeoutMs} ms passed`;
        throw new Error(`no frame matching ${typeof match === 'string' ? match : 'the predicate'} before ${why}; queued: `
          + JSON.stringify(this.frames));
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next `count` frames of `type`, in arrival order. */
  async nextN(type, count, timeoutMs = WAIT_MS) {
    const frames = [];
    for (let i = 0; i < count; i += 1) {
      frames.push(await this.next(type, timeoutMs));
    }
    return frames;
  }

  /** Sends `frame` and answers the reply carrying its `ref` (the `id` of a send without `ref`). */
  async call(frame, timeoutMs = WAIT_MS) {
    const ref = frame.ref ?? frame.id;
    this.send(frame);
    return this.next((reply) => reply.ref === ref && reply.type !== 'msg', timeoutMs);
  }

  async close() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(1000);
    }
    return this.closed;
  }
}
