/** The environment, parsed once into a frozen, typed object. Nothing else reads process.env. */
import { z } from 'zod';
import { isValidTimeZone } from './domain/quarter.js';

const optionalText = z.string().trim().transform((v) => (v === '' ? undefined : v)).optional();

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL like https://nps.example.com' }).optional()),
  DATABASE_URL: optionalText,
  REDIS_URL: optionalText.pipe(z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional()),
  SMTP_URL: optionalText.pipe(z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional()),
  MAIL_FROM: optionalText,
  COMPANY_NAME: optionalText,
  SECRET_KEYS: optionalText,
  SCHEDULE_TZ: optionalText.pipe(z.string().refine(isValidTimeZone, 'must be an IANA time zone like Europe/London').optional()),
  DATA_DIR: optionalText,
  QUEUE_PREFIX: optionalText.pipe(z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only').optional()),
  SURVEY_OPEN_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  NPS_PASSWORD: optionalText.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
});

/** Where data lives: a SQLite file, or a PostgreSQL server. */
export type DatabaseLocation = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/** The running configuration. */
export interface Config {
  port: number;
  publicUrl: string;
  database: DatabaseLocation;
  redisUrl: string;
  smtpUrl: string | null;
  mailFrom: string;
  /** How the survey names the company ("How likely are you to recommend {company}?"). */
  companyName: string;
  /** Signing secrets, newest first; null means "use the generated key under dataDir". */
  secretKeys: string[] | null;
  scheduleTimeZone: string;
  dataDir: string;
  queuePrefix: string;
  surveyOpenDays: number;
  smtpPoolSize: number;
  /** Password for `staff add` and the first admin; null means generate one. */
  staffPassword: string | null;
}

/** A setting that is missing or malformed; the message names it and says what to do. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads `sqlite:PATH`, `sqlite::memory:`, `postgres://...` or `postgresql://...`. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new ConfigError('DATABASE_URL "sqlite:" needs a file path, like sqlite:./data/nps.db');
    return { dialect: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      const parsed = new URL(url);
      if (!parsed.hostname) throw new Error('no host');
    } catch {
      throw new ConfigError(`DATABASE_URL "${redact(url)}" is not a valid URL; expected postgres://user:password@host:5432/database`);
    }
    return { dialect: 'postgres', url };
  }
  throw new ConfigError(
    `DATABASE_URL "${redact(url)}" is not understood; use sqlite:./data/nps.db for SQLite or postgres://user:password@host:5432/database for PostgreSQL`,
  );
}

/** Hides a password inside a URL before it is printed. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** Parses the environment. Throws ConfigError naming every bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid settings (see .env.example):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = e.DATA_DIR ?? './data';
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    port: e.PORT,
    publicUrl,
    database: parseDatabaseUrl(e.DATABASE_URL ?? `sqlite:${dataDir}/nps.db`),
    redisUrl: e.REDIS_URL ?? 'redis://127.0.0.1:6379',
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM ?? 'Customer Success <nps@localhost>',
    companyName: e.COMPANY_NAME ?? 'us',
    secretKeys: e.SECRET_KEYS ? e.SECRET_KEYS.split(',').map((s) => s.trim()).filter(Boolean) : null,
    scheduleTimeZone: e.SCHEDULE_TZ ?? 'UTC',
    dataDir,
    queuePrefix: e.QUEUE_PREFIX ?? 'nps',
    surveyOpenDays: e.SURVEY_OPEN_DAYS,
    smtpPoolSize: e.SMTP_POOL_SIZE,
    staffPassword: e.NPS_PASSWORD ?? null,
  });
}
