// An SSE stream through npm's `eventsource` (the WHATWG EventSource for Node), with the token in
// `Authorization` and, for a resume, `Last-Event-ID`, both set through its `fetch` option.
import { EventSource } from 'eventsource';

const WAIT_MS = 10_000;
const EVENT_TYPES = ['hello', 'msg', 'receipt', 'failure'];

export class SseClient {
  #waiters = [];

  /**
   * Opens `GET /v1/sse` (with `query`, e.g. `since=3`). `lastEventId` is sent as `Last-Event-ID` on the
   * first request; the library sends its own on reconnects.
   */
  constructor(demo, token, { query = '', lastEventId } = {}) {
    this.events = [];
    this.opens = 0;
    this.connectionErrors = 0;
    let first = true;
    const url = `${demo.baseUrl}/v1/sse${query ? `?${query}` : ''}`;
    this.source = new EventSource(url, {
      fetch: (input, init) => {
        const headers = { ...init.headers, authorization: `Bearer ${token}` };
        if (first && lastEventId !== undefined) {
          headers['Last-Event-ID'] = String(lastEventId);
        }
        first = false;
        return fetch(input, { ...init, headers });
      },
    });
    for (const type of EVENT_TYPES) {
      this.source.addEventListener(type, (event) => {
        this.events.push({ type, id: event.lastEventId, data: JSON.parse(event.data) });
        this.#wake();
      });
    }
    this.source.addEventListener('open', () => {
      this.opens += 1;
      this.#wake();
    });
    this.source.addEventListener('error', () => {
      this.connectionErrors += 1;
      this.#wake();
    });
  }

  #wake() {
    const waiters = this.#waiters;
    this.#waiters = [];
    waiters.forEach((wake) => wake());
  }

  async #until(condition, what, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = condition();
      if (result !== undefined) {
        return result;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`SSE: no ${what} within ${timeoutMs} ms; queued: ${JSON.stringify(this.events)}`);
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

  /** Takes the oldest queued event of `type` ({type, id, data}), waiting up to `timeoutMs`. */
  next(type, timeoutMs = WAIT_MS) {
    return this.#until(() => {
      const index = this.events.findIndex((event) => event.type === type);
      return index >= 0 ? this.events.splice(index, 1)[0] : undefined;
    }, `'${type}' event`, timeoutMs);
  }

  async nextN(type, count, timeoutMs = WAIT_MS) {
    const events = [];
    for (let i = 0; i < count; i += 1) {
      events.push(await this.next(type, timeoutMs));
    }
    return events;
  }

  /** Waits until the library has reported `count` connection errors (a stream that ended counts). */
  awaitConnectionErrors(count, timeoutMs = WAIT_MS) {
    return this.#until(() => (this.connectionErrors >= count ? true : undefined), `${count} connection errors`,
      timeoutMs);
  }

  close() {
    this.source.close();
  }
}
