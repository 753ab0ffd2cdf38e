import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase, dialectsUnderTest, testRedisUrl, uniqueQueuePrefix } from './databases.js';
import { freePort } from './free-port.js';
import { startSmtpSink } from './smtp-sink.js';

describe('test infrastructure', () => {
  it('gives a free port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });

  it('redis answers PING at the provided url', async () => {
    const url = testRedisUrl();
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const redis = new Redis(url, { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('makes unique queue prefixes without colons', () => {
    const a = uniqueQueuePrefix();
    const b = uniqueQueuePrefix();
    expect(a).toMatch(/^t[0-9a-f]+$/);
    expect(a).not.toBe(b);
  });

  it('runs postgres under CI', () => {
    if (process.env.CI) expect(dialectsUnderTest()).toEqual(['sqlite', 'postgres']);
    expect(dialectsUnderTest()).toContain('sqlite');
  });

  it('creates and drops a sqlite database directory', async () => {
    const db = await createTestDatabase('sqlite');
    expect(db.url).toMatch(/^sqlite:\/.+\/nps\.db$/);
    const dir = dirname(db.url.slice('sqlite:'.length));
    expect(existsSync(dir)).toBe(true);
    await db.drop();
    expect(existsSync(dir)).toBe(false);
  });

  it.skipIf(!inject('postgresUrl'))('creates, uses and drops a postgres database', async () => {
    const db = await createTestDatabase('postgres');
    expect(db.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_[0-9a-f]+$/);
    const name = new URL(db.url).pathname.slice(1);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ one: number }>('select 1 as one');
    expect(rows).toEqual([{ one: 1 }]);
    // Leave this connection open: drop() must cope with it.
    client.on('error', () => {});

    await db.drop();
    await client.end().catch(() => {});

    const admin = new pg.Client({ connectionString: inject('postgresUrl') });
    await admin.connect();
    try {
      const left = await admin.query('select 1 from pg_database where datname = $1', [name]);
      expect(left.rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('SMTP sink receives and parses a message sent with nodemailer', async () => {
    const sink = await startSmtpSink();
    const transport = nodemailer.createTransport(sink.url);
    try {
      expect(sink.url).toBe(`smtp://127.0.0.1:${sink.port}`);
      await transport.sendMail({
        from: 'Surveys <nps@example.com>',
        to: 'customer@example.org',
        subject: 'How likely are you to recommend us?',
        text: 'Pick a score from 0 to 10.',
        html: '<p>Pick a score from <b>0</b> to <b>10</b>.</p>',
        headers: { 'X-Test': 'yes' },
      });
      const [mail] = await sink.waitFor(1, 5_000);
      expect(mail?.subject).toBe('How likely are you to recommend us?');
      expect(mail?.from?.value[0]?.address).toBe('nps@example.com');
      expect(mail?.text?.trim()).toBe('Pick a score from 0 to 10.');
      expect(mail?.html).toContain('<b>10</b>');
      expect(mail?.headers.get('x-test')).toBe('yes');
      expect(sink.raw).toHaveLength(1);
      expect(sink.raw[0]).toContain('Subject: How likely are you to recommend us?');

      await expect(sink.waitFor(2, 100)).rejects.toThrow(/1 arrived/);
    } finally {
      transport.close();
      await sink.close();
    }
  });
});
