// vitest globalSetup: runs once in the main vitest process, before any test file.
// Starts a throwaway redis-server and PostgreSQL on free loopback ports, provides their
// URLs to the tests (`inject('redisUrl')`, `inject('postgresUrl')`, `inject('chromiumPath')`),
// and stops both by their own pid afterwards.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** redis://127.0.0.1:P of a throwaway redis-server (always set). */
    redisUrl: string;
    /** postgres://postgres@127.0.0.1:P/postgres of a throwaway PostgreSQL, or '' when unavailable (never '' under CI). */
    postgresUrl: string;
    /** '/usr/bin/chromium' when present, else ''. */
    chromiumPath: string;
  }
}

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_LIMIT = 16_384;

interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
  /** Signal for an orderly stop in teardown (SIGKILL follows after STOP_GRACE_MS). */
  politeSignal: NodeJS.Signals;
  /** Signal for a quick stop when the vitest process is exiting abnormally. */
  urgentSignal: NodeJS.Signals;
  output(): string;
}

const running = new Set<Managed>();
const tempDirs = new Set<string>();
let exitHandlerInstalled = false;

function alive(m: Managed): boolean {
  return m.child.exitCode === null && m.child.signalCode === null;
}

/** True while the process exists and is not a zombie (Node cannot reap children inside a sync loop). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Signal the child's whole process group (children are spawned detached), falling back to the pid. */
function signal(m: Managed, sig: NodeJS.Signals): void {
  const pid = m.child.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Synchronous last-resort cleanup for process 'exit' (vitest turns SIGINT/SIGTERM into
 * process.exit()). PostgreSQL gets SIGQUIT first (immediate shutdown, which still releases its
 * shared memory), initdb SIGTERM (it stops cleanly), then any process group still there after
 * 2 s gets SIGKILL.
 */
function killAllNow(): void {
  const pids: number[] = [];
  for (const m of running) {
    if (!alive(m) || m.child.pid === undefined) continue;
    pids.push(m.child.pid);
    // To the leader only: the postmaster stops its backends, initdb lets its bootstrap backend
    // finish (signalled directly, that one dies without releasing its shared memory).
    m.child.kill(m.urgentSignal);
  }
  const tick = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 2_000;
  while (pids.some(pidAlive) && Date.now() < deadline) Atomics.wait(tick, 0, 0, 25);
  for (const m of running) if (m.child.pid !== undefined && pidAlive(m.child.pid)) signal(m, 'SIGKILL');
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
}

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', killAllNow);
  // vitest registers its own SIGINT/SIGTERM handlers (which call process.exit) only once the run
  // is under way: until then, and for SIGHUP, a signal would kill us without an 'exit' event.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAllNow();
      // Only listener left: do what the default action would have done.
      if (process.listenerCount(sig) === 0) process.exit(128 + osConstants.signals[sig]);
    };
    process.once(sig, onSignal);
  }
}

function spawnManaged(
  name: string,
  command: string,
  args: string[],
  options: { uid?: number; gid?: number; cwd?: string } = {},
  signals: { polite: NodeJS.Signals; urgent: NodeJS.Signals } = { polite: 'SIGTERM', urgent: 'SIGKILL' },
): Managed {
  let buffer = '';
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: initdb's helper postgres processes and the server's backends can be
    // signalled together, and a Ctrl-C on the terminal goes through our handlers first.
    detached: true,
    ...options,
  });
  const collect = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    if (buffer.length > OUTPUT_LIMIT) buffer = buffer.slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (err) => {
      buffer += `\n[spawn error] ${err.message}`;
      resolve();
    });
  });
  const m: Managed = {
    name,
    child,
    exited,
    politeSignal: signals.polite,
    urgentSignal: signals.urgent,
    output: () => buffer.trim(),
  };
  running.add(m);
  void exited.then(() => running.delete(m));
  return m;
}

/** Polite signal, then SIGKILL after STOP_GRACE_MS if the process is still there. */
async function stop(m: Managed): Promise<void> {
  if (!alive(m)) {
    await m.exited;
    return;
  }
  m.child.kill(m.politeSignal);
  let timer: NodeJS.Timeout | undefined;
  const gone = await Promise.race([
    m.exited.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS))),
  ]);
  clearTimeout(timer);
  if (!gone && alive(m)) {
    signal(m, 'SIGKILL');
    await m.exited;
  }
}

function describeExit(m: Managed): string {
  const how = m.child.signalCode ? `signal ${m.child.signalCode}` : `code ${m.child.exitCode}`;
  const out = m.output();
  return `${m.name} exited early (${how})${out ? `:\n${out}` : ''}`;
}

function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- redis

async function waitForRedis(m: Managed, port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (!alive(m)) throw new Error(describeExit(m));
    const client = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1_000,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    } finally {
      client.disconnect();
    }
    await sleep(100);
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms (${lastError}):\n${m.output()}`);
}

async function startRedis(): Promise<{ url: string; proc: Managed }> {
  const bin = findExecutable('redis-server');
  if (!bin) {
    throw new Error(
      'redis-server not found: the tests need it. Install it with `apt-get install redis-server` ' +
        '(or run `bash scripts/system-deps.sh`).',
    );
  }
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const proc = spawnManaged('redis-server', bin, [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--daemonize', 'no',
    ]);
    try {
      await waitForRedis(proc, port);
      return { url: `redis://127.0.0.1:${port}`, proc };
    } catch (err) {
      lastError = err;
      await stop(proc);
    }
  }
  throw lastError;
}

// ---------------------------------------------------------------- postgres

function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const usable = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  const preferred = join(root, '15', 'bin');
  if (usable(preferred)) return preferred;
  let versions: string[] = [];
  try {
    versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    return undefined;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = join(root, v, 'bin');
    if (usable(dir)) return dir;
  }
  return undefined;
}

/** uid/gid to run PostgreSQL as: ourselves normally, the `postgres` user when we are root. */
function postgresIdentity(): { uid?: number; gid?: number } | string {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) return 'could not read the uid/gid of user postgres';
    return { uid, gid };
  } catch {
    return 'running as root but there is no `postgres` user (the Debian postgresql package creates it)';
  }
}

async function waitForPostgres(m: Managed, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (!alive(m)) throw new Error(describeExit(m));
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    } finally {
      await client.end().catch(() => {});
    }
    await sleep(100);
  }
  throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS} ms (${lastError}):\n${m.output()}`);
}

async function runToCompletion(m: Managed): Promise<void> {
  await m.exited;
  if (m.child.exitCode !== 0) throw new Error(describeExit(m).replace('exited early', 'failed'));
}

async function startPostgres(bin: string, identity: { uid?: number; gid?: number }): Promise<{ url: string; proc: Managed }> {
  const dir = mkdtempSync(join(tmpdir(), 'nps-pg-'));
  tempDirs.add(dir);
  if (identity.uid !== undefined && identity.gid !== undefined) chownSync(dir, identity.uid, identity.gid);
  const dataDir = join(dir, 'data');
  const spawnOptions = { ...identity, cwd: dir };

  // initdb and postgres refuse to run as root; spawn() with uid/gid (instead of runuser) makes the
  // child pid the postgres process itself, so we can stop it by that pid.
  await runToCompletion(
    spawnManaged(
      'initdb',
      join(bin, 'initdb'),
      ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'],
      spawnOptions,
      { polite: 'SIGTERM', urgent: 'SIGTERM' },
    ),
  );

  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const proc = spawnManaged(
      'postgres',
      join(bin, 'postgres'),
      [
        '-D', dataDir,
        '-p', String(port),
        '-k', dir,
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'fsync=off',
        '-c', 'synchronous_commit=off',
        '-c', 'full_page_writes=off',
        '-c', 'max_connections=200',
      ],
      // SIGINT is PostgreSQL's "fast shutdown" (disconnects clients); SIGTERM would wait for
      // every client pool a test forgot to close. SIGQUIT is its immediate shutdown.
      spawnOptions,
      { polite: 'SIGINT', urgent: 'SIGQUIT' },
    );
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    try {
      await waitForPostgres(proc, url);
      return { url, proc };
    } catch (err) {
      lastError = err;
      await stop(proc);
    }
  }
  throw lastError;
}

// ---------------------------------------------------------------- setup / teardown

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  installExitHandler();

  const teardown = async () => {
    await Promise.all([...running].map((m) => stop(m)));
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    tempDirs.clear();
  };

  try {
    const redis = await startRedis();
    project.provide('redisUrl', redis.url);

    const bin = findPostgresBin();
    const identity = postgresIdentity();
    const unavailable = !bin
      ? 'PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql, or run `bash scripts/system-deps.sh`)'
      : typeof identity === 'string'
        ? identity
        : undefined;
    if (unavailable || !bin || typeof identity === 'string') {
      if (process.env.CI) throw new Error(`PostgreSQL is required under CI: ${unavailable}`);
      console.warn(`[global-setup] PostgreSQL tests will be skipped: ${unavailable}`);
      project.provide('postgresUrl', '');
    } else {
      const postgres = await startPostgres(bin, identity);
      project.provide('postgresUrl', postgres.url);
    }

    project.provide('chromiumPath', existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : '');
  } catch (err) {
    await teardown();
    throw err;
  }

  return teardown;
}
