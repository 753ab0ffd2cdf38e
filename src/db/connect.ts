/** Opens the database named by the configuration: SQLite by default, PostgreSQL for scale. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseLocation } from '../config.js';
import type { Database } from './database.js';

/** A statement prepared once and run many times: the hot paths' way around Kysely's per-call prepare. */
export type PreparedStatement<Row> = (params: readonly unknown[]) => Promise<Row[]>;

/** An open database: the Kysely handle for ordinary queries, plus prepared statements for hot paths. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: 'sqlite' | 'postgres';
  /** Prepares SQL written with `?` placeholders (rewritten to $1.. for PostgreSQL). */
  prepare<Row>(name: string, sqlText: string): PreparedStatement<Row>;
  /** Answers whether the database responds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// pg returns int8 (count(*)) as a string by default; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric/real come back as strings or floats; results store real (float4/float8) only.
pg.types.setTypeParser(700, (v) => Number(v));
pg.types.setTypeParser(701, (v) => Number(v));

/** Opens (and for SQLite creates) the database. Throws with the setting's name when it cannot. */
export async function connectDatabase(location: DatabaseLocation): Promise<Db> {
  return location.dialect === 'sqlite' ? openSqlite(location.path) : openPostgres(location.url);
}

function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    kysely,
    dialect: 'sqlite',
    prepare<Row>(_name: string, sqlText: string) {
      const statement = sqlite.prepare(sqlText);
      const returnsRows = statement.reader;
      return async (params) => (returnsRows ? (statement.all(...params) as Row[]) : (statement.run(...params), []));
    },
    async ping() {
      return sqlite.prepare('select 1 as ok').get() !== undefined;
    },
    async close() {
      await kysely.destroy();
    },
  };
}

async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  pool.on('error', (error) => console.error(`database: idle connection error: ${error.message}`));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    prepare<Row>(name: string, sqlText: string) {
      let n = 0;
      const text = sqlText.replace(/\?/g, () => `$${++n}`);
      // A named query is parsed and planned once per pooled connection, then reused.
      return async (params) => (await pool.query({ name, text, values: params as unknown[] })).rows as Row[];
    },
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await kysely.destroy();
    },
  };
}
