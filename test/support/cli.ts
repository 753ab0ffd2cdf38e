// Runs the real `nps` command line as a child process (tsx src/cli.ts), the way a person does,
// against a throwaway database, data folder and queue prefix.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { parseDatabaseUrl } from '../../src/config.js';
import { connectDatabase, type Db } from '../../src/db/connect.js';
import type { Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, testRedisUrl, uniqueQueuePrefix, type Dialect, type TestDatabase } from './databases.js';
import { TEST_SECRET } from './system.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/** Every setting src/config.ts reads; removed from the inherited environment so a developer's shell cannot leak in. */
const SETTINGS = [
  'PORT', 'PUBLIC_URL', 'DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'MAIL_FROM', 'COMPANY_NAME', 'SECRET_KEYS',
  'SCHEDULE_TZ', 'DATA_DIR', 'QUEUE_PREFIX', 'SURVEY_OPEN_DAYS', 'NPS_PASSWORD', 'SMTP_POOL_SIZE',
];

/** What one run of the command printed and how it ended. */
export interface CliRun {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** process.env without the app's settings, plus `settings`. */
export function cliEnv(settings: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !SETTINGS.includes(key)) env[key] = value;
  return { ...env, ...settings };
}

/** Runs `tsx src/cli.ts ...args` in the repository root; never rejects on a non-zero exit. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['src/cli.ts', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      stderr += `\n[test] nps ${args.join(' ')} still running after ${timeoutMs} ms; sent SIGKILL`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ args, code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** One run described for assertion messages. */
export function describeRun(run: CliRun): string {
  return `nps ${run.args.join(' ')} -> exit ${run.code ?? run.signal} after ${run.ms} ms\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
}

/** A database, data folder and queue prefix of its own, with the environment that points the CLI at them. */
export interface CliSandbox {
  dialect: Dialect;
  database: TestDatabase;
  dataDir: string;
  env: Record<string, string>;
  run(args: string[], extraEnv?: Record<string, string>): Promise<CliRun>;
  /** Opens the sandbox's database in this process for a look, and closes it after. */
  query<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Opens it as the app does (migrated), for arranging data in-process without a CLI run. */
  open<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function createCliSandbox(dialect: Dialect): Promise<CliSandbox> {
  const database = await createTestDatabase(dialect);
  const dataDir = await mkdtemp(join(tmpdir(), 'nps-cli-'));
  const env = cliEnv({
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: uniqueQueuePrefix(),
    DATA_DIR: dataDir,
    SECRET_KEYS: TEST_SECRET,
  });
  return {
    dialect,
    database,
    dataDir,
    env,
    run: (args, extraEnv = {}) => runCli(args, { ...env, ...extraEnv }),
    query: (fn) => withDatabase(database.url, (db) => fn(db.kysely)),
    open: (fn) =>
      withDatabase(database.url, async (db) => {
        await migrateToLatest(db);
        return fn(db);
      }),
    async close() {
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens the database at `url` the way the app does, runs `fn`, closes it. */
export async function withDatabase<T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await connectDatabase(parseDatabaseUrl(url));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
