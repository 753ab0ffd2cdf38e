/** What repository functions take: the database or a transaction on it. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';

export type Executor = Kysely<Database> | Transaction<Database>;
