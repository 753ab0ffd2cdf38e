// `nps start`: the one-process system a newcomer runs, with its embedded defaults.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { cliEnv, REPO_ROOT } from './support/cli.js';
import { redisAnswers } from '../src/queue/connection.js';

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `tsx src/cli.ts start` and waits for its "is up" line. */
async function start(env: Record<string, string>): Promise<Running> {
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', 'start'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!output.includes('is up')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nps start did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output, exited };
}

describe('npm start on embedded defaults', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  });

  it('starts its own Redis and SQLite, prints the first admin login once, answers /healthz, and stops cleanly', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nps-start-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const [port, redisPort] = [await freePort(), await freePort()];
    // Nothing answers on redisPort: start must run a redis-server child there, with data under DATA_DIR.
    const env = cliEnv({ PORT: String(port), DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${redisPort}` });

    const first = await start(env);
    cleanup.push(async () => first.child.kill('SIGKILL'));
    expect(first.output()).toContain(`started redis-server on 127.0.0.1:${redisPort}`);
    expect(first.output()).toMatch(/created the admin login admin@localhost with password \S{12,}/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['nps.db', 'secret-keys', 'redis']));

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('shutting down');
    // Its Redis went with it.
    expect(await redisAnswers(`redis://127.0.0.1:${redisPort}`, 500)).toBe(false);

    // A second start finds the admin and prints no password.
    const second = await start(env);
    cleanup.push(async () => second.child.kill('SIGKILL'));
    expect(second.output()).not.toContain('password');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('says which setting is wrong when the port is taken', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'nps-start-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const blocker = (await import('node:net')).createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '0.0.0.0', resolve));
    cleanup.push(() => new Promise((resolve) => blocker.close(resolve)));
    const redisPort = await freePort();
    const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', 'start'], {
      cwd: REPO_ROOT,
      env: cliEnv({ PORT: String(port), DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${redisPort}` }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain(`PORT ${port} is in use`);
    // The Redis it started for itself is stopped again.
    expect(await redisAnswers(`redis://127.0.0.1:${redisPort}`, 500)).toBe(false);
  });
});
