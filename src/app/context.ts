/**
 * What the use cases need, built by the entry points (start, web, worker, CLI) and by tests.
 * Nothing here is a module-level singleton.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import type { Keyring } from '../domain/token.js';
import type { Queues, SendRetryPolicy } from '../queue/queues.js';

export interface AppContext {
  config: Readonly<Config>;
  db: Db;
  queues: Queues;
  keyring: Keyring;
  /** The clock, passed in so tests can move time. */
  now: () => Date;
  /** How send jobs retry; tests shorten the backoff. */
  sendRetry?: SendRetryPolicy;
}
