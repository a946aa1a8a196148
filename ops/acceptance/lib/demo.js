// Starts `ops/bin/pigeon demo` as a child process on free loopback ports and a data directory of its
// own, waits until it is ready, and stops it with SIGTERM. Everything the tests learn about the demo
// comes over the wire; nothing here reaches into the JVM.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// ACCEPTANCE_LAUNCHER runs another build of the same command line (an installed `pigeon`, say).
const LAUNCHER = process.env.ACCEPTANCE_LAUNCHER ?? path.join(REPO_ROOT, 'ops/bin/pigeon');

// Chosen here and passed on the command line, so the suite never depends on the demo's defaults and
// can mint tokens of its own (expired, wrongly signed) with the same secret.
export const JWT_SECRET = 'acceptance-jwt-secret-0123456789abcdef0123456789abcdef';
export const ADMIN_TOKEN = 'acceptance-admin-token';

const READY_POLL_MS = 100;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
// The launcher rebuilds the project when the jar is older than the sources; that may take minutes
// and must not count against the readiness window of the first start.
const BUILD_TIMEOUT_MS = 10 * 60_000;
const LOG_TAIL_CHARS = 20_000;
// A port found free can be taken before the demo binds it (by another test file's demo, or as the
// local port of some outgoing connection); then the start is tried again on other ports.
const START_ATTEMPTS = 3;
const PORT_TAKEN = /Address already in use|BindException/;

const running = new Set();
// A test file that dies early or is stopped (the runner's timeout sends SIGTERM) must not leave a JVM
// behind holding ports and a data directory.
const killRunning = () => running.forEach((child) => killGroup(child, 'SIGKILL'));
process.on('exit', killRunning);
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.once(signal, () => {
    killRunning();
    process.kill(process.pid, signal);
  });
}

let launcherChecked;

/** Runs `pigeon demo --help` once per process, so that a pending rebuild happens before any start. */
function ensureLauncherBuilt() {
  launcherChecked ??= promisify(execFile)(LAUNCHER, ['demo', '--help'], {
    timeout: BUILD_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((e) => {
    throw new Error(`ops/bin/pigeon demo --help failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  });
  return launcherChecked;
}

/** A port that was free a moment ago: bind port 0 on loopback, read it, close. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function twoFreePorts() {
  const first = await freePort();
  let second = await freePort();
  while (second === first) {
    second = await freePort();
  }
  return [first, second];
}

async function newDataDir() {
  return mkdtemp(path.join(os.tmpdir(), 'pigeon-acceptance-'));
}

export async function removeDataDir(dir) {
  await rm(dir, { recursive: true, force: true });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** One running demo node. */
export class Demo {
  constructor(child, { port, adminPort, dataDir }) {
    this.child = child;
    this.port = port;
    this.adminPort = adminPort;
    this.dataDir = dataDir;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.adminUrl = `http://127.0.0.1:${adminPort}`;
    this.wsUrl = `ws://127.0.0.1:${port}`;
    this.output = '';
    this.exit = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      });
    });
    const keep = (chunk) => {
      this.output = (this.output + chunk).slice(-LOG_TAIL_CHARS);
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
  }

  /**
   * Starts a demo. With `dataDir` it reuses that directory (a restart); otherwise it makes a fresh one,
   * which `stop({ removeData: true })` deletes again.
   */
  static async start({ dataDir } = {}) {
    await ensureLauncherBuilt();
    const dir = dataDir ?? (await newDataDir());
    for (let attempt = 1; ; attempt += 1) {
      const [port, adminPort] = await twoFreePorts();
      const demo = Demo.#spawn({ port, adminPort, dataDir: dir });
      try {
        await demo.#awaitReady();
        return demo;
      } catch (e) {
        killGroup(demo.child, 'SIGKILL');
        await demo.exit;
        if (attempt === START_ATTEMPTS || !PORT_TAKEN.test(demo.output)) {
          if (dataDir === undefined) {
            await removeDataDir(dir);
          }
          throw new Error(`${e.message}\n--- demo output ---\n${demo.output}`);
        }
      }
    }
  }

  static #spawn({ port, adminPort, dataDir }) {
    const args = ['demo', '--port', String(port), '--admin-port', String(adminPort), '--data-dir', dataDir,
      '--admin-token', ADMIN_TOKEN, '--jwt-secret', JWT_SECRET];
    // Settings come from the command line alone, never from PIGEON_* variables of whoever runs the suite.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PIGEON_')));
    // Own process group: the launcher may still be a shell running a build when a test gives up.
    const child = spawn(LAUNCHER, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env });
    running.add(child);
    return new Demo(child, { port, adminPort, dataDir });
  }

  async #awaitReady() {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let exited = null;
    this.exit.then((how) => {
      exited = how;
    });
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (exited) {
        throw new Error(`demo exited before it was ready (code ${exited.code}, signal ${exited.signal})`);
      }
      try {
        const res = await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) {
          return;
        }
        last = `status ${res.status}`;
      } catch (e) {
        last = e.cause?.code ?? e.message;
      }
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
    throw new Error(`GET /readyz did not answer 200 within ${READY_TIMEOUT_MS} ms (last: ${last})`);
  }

  /**
   * SIGTERM, then waits for the process to exit (SIGKILL to the group if it does not within the
   * bound, which fails the stop). Resolves to how it exited.
   */
  async stop({ removeData = false } = {}) {
    if (running.has(this.child)) {
      this.child.kill('SIGTERM');
      const timedOut = Symbol('timeout');
      let timer;
      const outcome = await Promise.race([
        this.exit,
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(timedOut), STOP_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      if (outcome === timedOut) {
        killGroup(this.child, 'SIGKILL');
        await this.exit;
        throw new Error(`demo did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM\n${this.output}`);
      }
    }
    if (removeData) {
      await removeDataDir(this.dataDir);
    }
    return this.exit;
  }
}
