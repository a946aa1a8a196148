// Exact PROTOCOL.md shapes: every field named there present with its type, nothing else on the wire.
import assert from 'node:assert/strict';

const isPosition = (value) => Number.isSafeInteger(value) && value >= 0;
const isSeq = (value) => Number.isSafeInteger(value) && value >= 1;
const isText = (value) => typeof value === 'string' && value.length > 0;
const isTimestamp = (value) => Number.isSafeInteger(value) && value > 1_500_000_000_000;

/** Asserts that `object` has exactly `required` plus any of `optional` as keys, each passing its check. */
function assertShape(what, object, required, optional = {}) {
  const shown = JSON.stringify(object);
  assert.equal(typeof object, 'object', `${what} is not an object: ${shown}`);
  assert.ok(object !== null && !Array.isArray(object), `${what} is not an object: ${shown}`);
  const allowed = new Set([...Object.keys(required), ...Object.keys(optional)]);
  const extra = Object.keys(object).filter((key) => !allowed.has(key));
  assert.deepEqual(extra, [], `${what} has fields PROTOCOL.md does not name: ${shown}`);
  for (const [key, check] of Object.entries(required)) {
    assert.ok(key in object, `${what} lacks '${key}': ${shown}`);
    assert.ok(check(object[key]), `${what} has a bad '${key}': ${shown}`);
  }
  for (const [key, check] of Object.entries(optional)) {
    if (key in object) {
      assert.ok(check(object[key]), `${what} has a bad '${key}': ${shown}`);
    }
  }
  return object;
}

const is = (expected) => (value) => value === expected;
// `format` is omitted when it is `text`.
const isMediaFormat = (value) => isText(value) && value !== 'text';

const ENTRY_FIELDS = {
  conversation: isText,
  conv_seq: isSeq,
  from: isText,
  id: isText,
  body: (value) => typeof value === 'string',
  ts: isTimestamp,
};

export function assertHello(frame, user) {
  return assertShape('hello', frame, {
    type: is('hello'),
    session: isText,
    user: is(user),
    node: isText,
    region: isText,
    home_region: isText,
    epoch: isPosition,
    head: isPosition,
    heartbeat_ms: isSeq,
  });
}

/** A `msg` frame (WebSocket, SSE data). */
export function assertMsg(frame) {
  return assertShape('msg', frame, { type: is('msg'), seq: isSeq, ...ENTRY_FIELDS }, { format: isMediaFormat });
}

/**
 * An inbox entry inside `{"messages":[...]}` of /v1/sync and /v1/poll: the `msg` fields. PROTOCOL.md
 * does not say whether the entry repeats `"type":"msg"`, so it may.
 */
export function assertInboxEntry(entry) {
  return assertShape('inbox entry', entry, { seq: isSeq, ...ENTRY_FIELDS }, {
    type: is('msg'),
    format: isMediaFormat,
  });
}

/** A conversation log entry of /v1/history: no `seq`, that is a per-user position. */
export function assertHistoryEntry(entry) {
  return assertShape('history entry', entry, ENTRY_FIELDS, { format: isMediaFormat });
}

export function assertSent(frame) {
  return assertShape('sent', frame, {
    type: is('sent'),
    ref: isText,
    id: isText,
    conversation: isText,
    conv_seq: isSeq,
    seq: isSeq,
    ts: isTimestamp,
  });
}

export function assertError(frame, code, ref) {
  assertShape('error', frame, { type: is('error'), code: is(code), message: (m) => typeof m === 'string' }, {
    ref: isText,
  });
  if (ref !== undefined) {
    assert.equal(frame.ref, ref, `error should carry ref '${ref}': ${JSON.stringify(frame)}`);
  }
  return frame;
}

export function assertPong(frame, ref) {
  assertShape('pong', frame, { type: is('pong') }, { ref: isText });
  assert.equal(frame.ref, ref, `pong ref: ${JSON.stringify(frame)}`);
  return frame;
}

/** `{"messages":[...],"head":H}` of /v1/sync and /v1/poll; answers the entries. */
export function assertInboxPage(page) {
  assertShape('inbox page', page, { messages: Array.isArray, head: isPosition });
  page.messages.forEach(assertInboxEntry);
  return page.messages;
}

/** `{"conversation":"...","messages":[...]}` of /v1/history (and the `history` frame, with `type`). */
export function assertHistoryPage(page, conversation, { frame = false } = {}) {
  const required = { conversation: is(conversation), messages: Array.isArray };
  assertShape(frame ? 'history frame' : 'history page', page, frame ? { type: is('history'), ...required } : required,
    frame ? { ref: isText } : {});
  page.messages.forEach(assertHistoryEntry);
  return page.messages;
}

/** `{"group","conversation","members"}`, members compared as a set. */
export function assertGroup(body, group, members) {
  assertShape('group', body, { group: is(group), conversation: is(`g:${group}`), members: Array.isArray });
  assert.deepEqual([...body.members].sort(), [...members].sort(), `group members: ${JSON.stringify(body)}`);
  return body;
}

/** The same message as seen by two parties: everything but the per-user `seq` (and `type`) agrees. */
export function assertSameEntry(actual, expected) {
  const strip = ({ seq, type, ...rest }) => rest;
  assert.deepEqual(strip(actual), strip(expected));
}

/** Positions `from`, `from + 1`, ... of `entries`, by `key`. */
export function assertContiguous(entries, key, from) {
  assert.deepEqual(entries.map((e) => e[key]), entries.map((_, i) => from + i),
    `${key} should be contiguous from ${from}: ${JSON.stringify(entries.map((e) => e[key]))}`);
}
