// The HTTP half of the protocol through Node's built-in fetch, plus tokens: from the demo's dev
// endpoint, or minted here (HS256) when a test needs one the server must refuse.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { JWT_SECRET } from './demo.js';

const REQUEST_TIMEOUT_MS = 40_000;

/**
 * One request; answers `{ status, headers, text, json }` (`json` undefined when the body is not
 * JSON). `token` goes in `Authorization: Bearer`; `body` is sent as JSON unless it is a string.
 */
export async function request(baseUrl, method, path, { token, body, headers = {}, timeoutMs } = {}) {
  const allHeaders = { ...headers };
  if (token !== undefined) {
    allHeaders.authorization = `Bearer ${token}`;
  }
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    allHeaders['content-type'] ??= 'application/json';
  }
  const res = await fetch(baseUrl + path, {
    method,
    headers: allHeaders,
    body: payload,
    signal: AbortSignal.timeout(timeoutMs ?? REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let json;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A request that must answer `status`; answers the parsed body. */
export async function expectStatus(status, baseUrl, method, path, options) {
  const res = await request(baseUrl, method, path, options);
  assert.equal(res.status, status, `${method} ${path}: expected ${status}, got ${res.status}: ${res.text}`);
  return res.json;
}

/** A token for `user` from `POST /v1/dev/token?user=<id>`, whose answer is exactly `{"token":"..."}`. */
export async function devToken(demo, user) {
  const body = await expectStatus(200, demo.baseUrl, 'POST', `/v1/dev/token?user=${encodeURIComponent(user)}`);
  assert.deepEqual(Object.keys(body), ['token'], `dev token answer: ${JSON.stringify(body)}`);
  assert.equal(typeof body.token, 'string');
  return body.token;
}

/** Tokens for several users, by user id. */
export async function devTokens(demo, users) {
  const entries = await Promise.all(users.map(async (user) => [user, await devToken(demo, user)]));
  return Object.fromEntries(entries);
}

const base64url = (value) => Buffer.from(value).toString('base64url');

/** An HS256 JWT with `claims`, signed with `secret` (by default the one the demo was started with). */
export function mintToken(claims, secret = JWT_SECRET) {
  const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
