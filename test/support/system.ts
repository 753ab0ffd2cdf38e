// The whole system in one test process, assembled the way `npm start` assembles it (Runtime),
// on a throwaway database, a unique queue prefix on the test Redis, a loopback SMTP sink and a
// real HTTP server on a free port.
import type { ParsedMail } from 'mailparser';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { Runtime } from '../../src/cli/runtime.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, testRedisUrl, uniqueQueuePrefix, type Dialect } from './databases.js';
import { freePort } from './free-port.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

export const TEST_SECRET = 'test-secret-key-that-is-long-enough-000000';

export interface TestSystem {
  ctx: AppContext;
  baseUrl: string;
  sink: SmtpSink;
  env: Record<string, string>;
  dataDir: string;
  close(): Promise<void>;
}

/** Starts database, queues, workers, web and SMTP sink. `workers: false` leaves sending to the test. */
export async function startTestSystem(dialect: Dialect, options: { workers?: boolean; smtp?: boolean; smtpUrl?: string } = {}): Promise<TestSystem> {
  const database = await createTestDatabase(dialect);
  const sink = await startSmtpSink();
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'nps-data-'));
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SECRET_KEYS: TEST_SECRET,
    QUEUE_PREFIX: uniqueQueuePrefix(),
    DATA_DIR: dataDir,
    MAIL_FROM: 'Client Success <success@agency.test>',
    COMPANY_NAME: 'Northwind Content',
    ...(options.smtp === false ? {} : { SMTP_URL: options.smtpUrl ?? sink.url }),
  };
  const runtime = new Runtime(loadConfig(env), () => {});
  const ctx = await runtime.context(true);
  ctx.sendRetry = { attempts: 3, backoffMs: 200 };
  if (options.workers !== false) await runtime.workers(ctx, false);
  await runtime.web(ctx);
  return {
    ctx,
    baseUrl: env.PUBLIC_URL,
    sink,
    env,
    dataDir,
    async close() {
      await runtime.close();
      await sink.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Writes a client list: `accounts` accounts of `perAccount` contacts, managers alternating. */
export async function writeClientCsv(dir: string, accounts: number, perAccount: number): Promise<string> {
  const lines = ['account,email,name,account_manager_email,segment,locale,time_zone'];
  for (let a = 1; a <= accounts; a++) {
    for (let c = 1; c <= perAccount; c++) {
      lines.push(`Account ${a},person${c}@account${a}.test,Person ${c} of ${a},am${a % 2}@agency.test,managed,en,Europe/London`);
    }
  }
  const path = join(dir, `clients-${accounts}x${perAccount}.csv`);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/** The eleven score links of a message's HTML part, by visible number. */
export function scoreLinks(mail: ParsedMail): Map<string, string> {
  const html = typeof mail.html === 'string' ? mail.html : '';
  const links = new Map<string, string>();
  for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"]+)"[^>]*>\s*([^<]*?)\s*<\/a>/g)) {
    if (/^\d+$/.test(m[2])) links.set(m[2], m[1].replaceAll('&amp;', '&'));
  }
  return links;
}

/** Polls `probe` until it returns a truthy value, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Follows a score link as a browser does: GET the page, then the POST the page's script makes. */
export async function answer(link: string, score: number): Promise<void> {
  const page = await fetch(link);
  if (page.status !== 200) throw new Error(`GET ${link} answered ${page.status}`);
  const action = /fetch\("([^"]+)"/.exec(await page.text())?.[1];
  if (!action) throw new Error('the survey page does not post the score itself');
  const post = await fetch(new URL(action, link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `score=${score}` });
  if (post.status !== 200) throw new Error(`POST ${action} answered ${post.status}`);
}
