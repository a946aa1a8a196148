// Headless Chromium (Debian's, at /usr/bin/chromium) driven by playwright-core, and the few steps on
// the demo page that every test takes.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ADMIN_TOKEN } from '../../acceptance/lib/demo.js';

export const CHROMIUM = process.env.BROWSER_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../target/screenshots');
/** How long a page may take to show what a test waits for. */
export const SHOW_MS = 15_000;

/**
 * One headless browser; `--no-sandbox` because the tests may run as root, and no background
 * networking, component updates or sync, which would only try to reach hosts a test machine may not.
 */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A page of `context` on the demo, logged in as `user`, once its client is open. */
export async function openDemo(context, demo, user, query = '') {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${user}] page error: ${e.message}`));
  await page.goto(`${demo.baseUrl}/?user=${encodeURIComponent(user)}${query}`);
  await awaitOpen(page);
  return page;
}

/** Waits until the page's client is open (directly or through another tab). */
export async function awaitOpen(page, timeout = SHOW_MS) {
  await page.waitForFunction(() => window.pigeon?.state === 'open', null, { timeout });
}

/** Opens (or starts) the direct conversation with `other`. */
export async function openDirect(page, other) {
  await page.fill('#to', other);
  await page.press('#to', 'Enter');
}

export async function sendText(page, text) {
  await page.fill('#body', text);
  await page.press('#body', 'Enter');
}

/** Waits until the open conversation shows a message with exactly this body, sent and confirmed. */
export async function awaitShown(page, text, timeout = SHOW_MS) {
  await page.locator('#messages .msg:not(.pending) .body', { hasText: text }).first().waitFor({ timeout });
}

/** The bodies the open conversation shows, in order. */
export function shownBodies(page) {
  return page.locator('#messages .msg .body').allTextContents();
}

export function transportOf(page) {
  return page.evaluate(() => window.pigeon.transport);
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The admin API's view of `user`'s sessions. */
export async function presenceOf(demo, user) {
  const response = await fetch(`${demo.adminUrl}/admin/presence/${encodeURIComponent(user)}`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  if (response.status !== 200) throw new Error(`presence answered ${response.status}`);
  return response.json();
}

/** Polls `check` until it returns true or `timeout` passes; returns the last value it saw. */
export async function eventually(check, { timeout = SHOW_MS, every = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
