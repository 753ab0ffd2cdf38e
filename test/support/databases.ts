// Per-test databases on the servers started by global-setup.ts.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

export type Dialect = 'sqlite' | 'postgres';

export interface TestDatabase {
  dialect: Dialect;
  /** `sqlite:/abs/path/nps.db` or `postgres://postgres@127.0.0.1:P/t_<hex>` */
  url: string;
  drop(): Promise<void>;
}

/** sqlite always; postgres when global setup started one (always under CI). */
export function dialectsUnderTest(): Dialect[] {
  return inject('postgresUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A fresh BullMQ-safe prefix (no ':'), e.g. `t3f9a0c1d2e4b`. */
export function uniqueQueuePrefix(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const adminUrl = inject('postgresUrl');
  if (!adminUrl) throw new Error('PostgreSQL is not available in this test run (inject("postgresUrl") is empty)');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'nps-sqlite-'));
    return {
      dialect,
      url: `sqlite:${join(dir, 'nps.db')}`,
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }

  const name = `t_${randomBytes(8).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(inject('postgresUrl'));
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    dialect,
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withAdminClient(async (client) => {
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
    },
  };
}
