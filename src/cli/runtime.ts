/** Builds the parts of a running process from the configuration, and closes them in order. */
import { serve, type ServerType } from '@hono/node-server';
import type { Redis } from 'ioredis';
import { join } from 'node:path';
import type { AppContext } from '../app/context.js';
import type { MailContext } from '../app/send-survey.js';
import { redact, type Config } from '../config.js';
import { connectDatabase, type Db } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { createOutboxMailer, createSmtpMailer, type Mailer } from '../mail/mailer.js';
import { loadEmailTemplate } from '../mail/templates.js';
import { createProducerConnection, createWorkerConnection, redisAnswers } from '../queue/connection.js';
import { createQueues, type Queues } from '../queue/queues.js';
import { createApp } from '../web/app.js';
import { startWorkers, type Workers } from '../../jobs/workers.js';
import { upsertQuarterlyScheduler } from '../../jobs/scheduler.js';
import { loadKeyring } from './keyring.js';

/** Something to close at shutdown, in reverse order of opening. */
type Closer = () => Promise<void>;

/** A process's open parts. */
export class Runtime {
  private closers: Closer[] = [];
  constructor(readonly config: Readonly<Config>, readonly say: (line: string) => void = (l) => console.log(l)) {}

  /** Registers a closer; the last registered closes first. */
  onClose(closer: Closer): void {
    this.closers.push(closer);
  }

  /** Closes everything, newest first, reporting (not throwing) failures. */
  async close(): Promise<void> {
    for (const closer of this.closers.reverse()) {
      await closer().catch((error: Error) => this.say(`shutdown: ${error.message}`));
    }
    this.closers = [];
  }

  /** Opens the database, naming DATABASE_URL when it cannot. */
  async database(migrate: boolean): Promise<Db> {
    const where = this.config.database.dialect === 'sqlite' ? this.config.database.path : redact(this.config.database.url);
    let db: Db;
    try {
      db = await connectDatabase(this.config.database);
      if (!(await db.ping())) throw new Error('it does not answer');
    } catch (error) {
      throw new Error(`DATABASE_URL: cannot open ${where}: ${(error as Error).message}`);
    }
    this.onClose(() => db.close());
    if (migrate) {
      const applied = await migrateToLatest(db);
      if (applied.length > 0) this.say(`database: applied ${applied.join(', ')}`);
    }
    return db;
  }

  /** Opens a Redis connection, naming REDIS_URL when nothing answers. */
  async redis(kind: 'producer' | 'worker'): Promise<Redis> {
    if (!(await redisAnswers(this.config.redisUrl, 3_000))) {
      throw new Error(`REDIS_URL: nothing answers at ${redact(this.config.redisUrl)}. Is \`npm start\` running (it starts a local Redis)? Otherwise start redis-server or set REDIS_URL.`);
    }
    const connection = kind === 'worker' ? createWorkerConnection(this.config.redisUrl) : createProducerConnection(this.config.redisUrl);
    connection.on('error', (error) => this.say(`redis: ${error.message}`));
    this.onClose(async () => void (await connection.quit().catch(() => connection.disconnect())));
    return connection;
  }

  /** The shared context of the use cases. */
  async context(migrate: boolean): Promise<AppContext> {
    const keyring = loadKeyring(this.config);
    const db = await this.database(migrate);
    const queues: Queues = createQueues(await this.redis('producer'), this.config.queuePrefix);
    this.onClose(() => queues.close());
    return { config: this.config, db, queues, keyring, now: () => new Date() };
  }

  /** The mailer: SMTP when SMTP_URL is set, else the outbox folder. */
  mailer(): Mailer {
    const mailer = this.config.smtpUrl ? createSmtpMailer(this.config.smtpUrl, this.config.smtpPoolSize) : createOutboxMailer(this.outboxDir());
    this.onClose(() => mailer.close());
    return mailer;
  }

  outboxDir(): string {
    return join(this.config.dataDir, 'outbox');
  }

  /** Serves the web app until close. */
  async web(ctx: AppContext): Promise<ServerType> {
    const app = createApp({ ...ctx, outboxDir: this.outboxDir(), redisAnswers: () => redisAnswers(this.config.redisUrl, 1_000), log: this.say });
    const server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: this.config.port }, () => resolve(s));
      s.once('error', (error: NodeJS.ErrnoException) =>
        reject(new Error(error.code === 'EADDRINUSE' ? `PORT ${this.config.port} is in use; set PORT to a free one` : error.message)),
      );
    });
    this.onClose(() => new Promise<void>((done) => server.close(() => done())));
    this.say(`web: listening on port ${this.config.port}; public address ${this.config.publicUrl}`);
    return server;
  }

  /** Warnings about settings that work on one machine but not in production. */
  warnings(split: boolean): void {
    if (split && !this.config.secretKeys) {
      this.say('warning: SECRET_KEYS is not set; links are signed with the key in DATA_DIR/secret-keys, which only this machine has. Set the same SECRET_KEYS on every web and worker process.');
    }
    if (this.config.smtpUrl && !this.config.publicUrl.startsWith('https://')) {
      this.say(`warning: PUBLIC_URL is ${this.config.publicUrl}; real emails need an https:// address (one-click unsubscribe requires HTTPS, and the links must work outside this machine).`);
    }
  }

  /** Starts the queue workers (and, with `schedule`, upserts the quarterly scheduler). */
  async workers(ctx: AppContext, schedule: boolean): Promise<Workers> {
    const surveyTemplate = await loadEmailTemplate('survey');
    const mail: MailContext = { mailer: this.mailer(), surveyTemplate };
    const workers = startWorkers({ ...ctx, ...mail }, await this.redis('worker'), undefined, this.say);
    this.onClose(() => workers.close());
    if (schedule) {
      await upsertQuarterlyScheduler(ctx.queues, this.config.scheduleTimeZone);
      this.say(`scheduler: each quarter's campaign starts at midnight on its first day (${this.config.scheduleTimeZone})`);
    }
    this.say(`worker: sending ${this.config.smtpUrl ? `through ${redact(this.config.smtpUrl)}` : `to the outbox folder ${this.outboxDir()} (SMTP_URL is not set)`}`);
    return workers;
  }

  /** Closes everything on SIGINT/SIGTERM; a second signal exits at once. */
  closeOnSignals(): Promise<void> {
    return new Promise((done) => {
      let closing = false;
      const handler = (signal: string) => {
        if (closing) process.exit(1);
        closing = true;
        this.say(`${signal}: shutting down (waiting for running jobs)...`);
        void this.close().then(() => {
          this.say('stopped.');
          done();
        });
      };
      process.once('SIGINT', handler);
      process.once('SIGTERM', handler);
    });
  }
}
