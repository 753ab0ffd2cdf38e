// `nps start`: the one-process system a newcomer runs, with its embedded defaults.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { cliEnv, REPO_ROOT, runCli, withDatabase } from './support/cli.js';
import { createTestDatabase, dialectsUnderTest, testRedisUrl, uniqueQueuePrefix, type TestDatabase } from './support/databases.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { eventually, scoreLinks, TEST_SECRET } from './support/system.js';
import { redisAnswers } from '../src/queue/connection.js';

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `tsx src/cli.ts <command>` and waits until its output contains `ready`. */
async function start(env: Record<string, string>, command = 'start', ready = 'is up'): Promise<Running> {
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', command], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!output.includes(ready)) {
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

describe.each(dialectsUnderTest().filter((d) => d === 'postgres'))('nps web and nps worker as separate processes on %s', (dialect) => {
  let sink: SmtpSink;
  let database: TestDatabase;
  const running: Running[] = [];
  const dataDirs: string[] = [];
  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await Promise.all(running.map((r) => r.exited));
    await sink?.close();
    await database?.drop();
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  it('the worker sends, the web process records the click, sharing only Redis and PostgreSQL', async () => {
    sink = await startSmtpSink();
    database = await createTestDatabase(dialect);
    const port = await freePort();
    const settings = {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: uniqueQueuePrefix(),
      SECRET_KEYS: TEST_SECRET,
      SMTP_URL: sink.url,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    };
    // Each process gets its own data folder: nothing may pass between them but Redis and PostgreSQL.
    const envFor = async () => {
      const dir = await mkdtemp(join(tmpdir(), 'nps-split-'));
      dataDirs.push(dir);
      return cliEnv({ ...settings, DATA_DIR: dir });
    };
    const migrate = await runCli(['migrate'], await envFor());
    expect(migrate.code).toBe(0);
    running.push(await start(await envFor(), 'worker', 'worker: sending'));
    running.push(await start(await envFor(), 'web', 'web: listening'));

    const env = await envFor();
    const csv = join(env.DATA_DIR, 'clients.csv');
    await writeFile(csv, 'account,email,name\nSplit Co,ann@split.test,Ann\nSplit Co,bob@split.test,Bob\n');
    expect((await runCli(['import', 'clients', csv], env)).code).toBe(0);
    const created = await runCli(['campaign', 'create', '--quarter', '2026-Q4'], env);
    const id = created.stdout.trim();
    expect((await runCli(['campaign', 'send', id], env)).code).toBe(0);
    const [mail] = await sink.waitFor(2);
    // The worker records a send after the mail server accepted it: wait for both records.
    await eventually('both deliveries recorded as sent', () =>
      withDatabase(database.url, async (db) => {
        const rows = await db.kysely.selectFrom('deliveries').select('status').execute();
        return rows.length === 2 && rows.every((r) => r.status === 'sent');
      }),
    );

    const link = scoreLinks(mail).get('10') as string;
    expect(link.startsWith(settings.PUBLIC_URL)).toBe(true);
    const token = link.split('/s/')[1].split('/')[0];
    const post = await fetch(`${settings.PUBLIC_URL}/s/${token}/score`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'score=10' });
    expect(post.status).toBe(200);
    const results = await runCli(['results', '--campaign', id, '--json'], env);
    expect(JSON.parse(results.stdout)[0]).toMatchObject({ promoters: 1, responses: 1, delivered: 2, nps: 100, responseRate: 50 });
    // SECRET_KEYS is set, so neither process warns about split-mode keys.
    for (const r of running) expect(r.output()).not.toContain('SECRET_KEYS is not set');
  });
});
