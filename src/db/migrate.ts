/** Brings the schema up to date; safe to run on every start and from several processes. */
import { Migrator } from 'kysely';
import type { Db } from './connect.js';
import { migrationProvider } from './migrations/index.js';

/** Runs pending migrations and returns their names; throws with the failing one's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${message}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
