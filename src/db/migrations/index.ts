/**
 * Every migration, in order. An explicit list rather than FileMigrationProvider, whose dynamic
 * import() of .ts files fails under vitest on Node 20 (STACK.md).
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './2026-12-03-initial.js';

const migrations: Record<string, Migration> = {
  '2026-12-03-initial': initial,
};

/** Hands Kysely's Migrator the list above. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
