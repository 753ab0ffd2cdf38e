/** What the web app is built from; tests hand in the same things `nps web` builds. */
import type { AppContext } from '../app/context.js';

export interface WebDeps extends AppContext {
  /** Folder the outbox mailer writes .eml files to (shown at /admin/outbox). */
  outboxDir: string;
  /** Answers whether Redis responds, for /healthz. */
  redisAnswers: () => Promise<boolean>;
  /** Logs a line; errors a visitor caused are not logged as failures. */
  log?: (line: string) => void;
}
