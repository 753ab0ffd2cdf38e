// Starting campaigns: the quarterly scheduler, launches that run twice, scheduled sends, SMTP trouble.
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, launchCampaign, launchQuarter, startCampaign } from '../src/app/campaigns.js';
import { importClientFile } from '../src/app/import-clients.js';
import { upsertQuarterlyScheduler } from '../jobs/scheduler.js';
import { scheduledTimeOf } from '../jobs/launch-campaign.js';
import { formatQuarter, quarterOf } from '../src/domain/quarter.js';
import { requeueFailedDeliveries } from '../src/db/deliveries-repo.js';
import { settleFailedSend } from '../src/app/send-survey.js';
import { dialectsUnderTest } from './support/databases.js';
import { freePort } from './support/free-port.js';
import { eventually, startTestSystem, writeClientCsv, type TestSystem } from './support/system.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const count = async (system: TestSystem, table: 'campaigns' | 'deliveries', where?: [string, string]) => {
  let q = system.ctx.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

describe.each(dialectsUnderTest())('launching campaigns on %s', (dialect) => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem(dialect);
    await importClientFile(system.ctx, await writeClientCsv(system.dataDir, 2, 2));
    const selfServe = join(system.dataDir, 'self-serve.csv');
    await writeFile(selfServe, 'account,email,segment\nSolo Ltd,solo@solo.test,self_serve\n');
    await importClientFile(system.ctx, selfServe);
  });
  afterAll(async () => {
    await system?.close();
  });

  it('restarting the app never duplicates the quarterly schedule', async () => {
    await upsertQuarterlyScheduler(system.ctx.queues, 'Europe/Berlin');
    await upsertQuarterlyScheduler(system.ctx.queues, 'Europe/Berlin');
    const schedulers = await system.ctx.queues.campaigns.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ pattern: '0 0 1 1,4,7,10 *', tz: 'Europe/Berlin' });
    // The next run is the next quarter's first midnight in Berlin.
    expect(new Date(Number(schedulers[0].next)).getUTCDate()).toBeGreaterThanOrEqual(1);
    await system.ctx.queues.campaigns.removeJobScheduler(schedulers[0].key);
  });

  it('the quarterly launch surveys managed clients once, even when it runs twice', async () => {
    const at = new Date('2026-10-01T00:00:00Z');
    const first = await launchQuarter(system.ctx, at);
    const second = await launchQuarter(system.ctx, at);
    expect(second.campaignId).toBe(first.campaignId);
    expect(first.deliveries).toBe(4); // the self-serve client is left out
    expect(await count(system, 'campaigns', ['schedule_key', 'quarterly-2026-Q4'])).toBe(1);
    expect(await count(system, 'deliveries', ['campaign_id', first.campaignId])).toBe(4);
    await system.sink.waitFor(4);
    await new Promise((r) => setTimeout(r, 400));
    expect(system.sink.messages).toHaveLength(4);
    expect(system.sink.messages.map((m) => String([m.to].flat()[0]?.text))).not.toContain('solo@solo.test');
  });

  it('a campaign launched again (a retried job) sends nobody a second email', async () => {
    const before = system.sink.messages.length;
    const campaign = await createCampaign(system.ctx, { quarter: '2027-Q1', accountManagerEmail: 'am1@agency.test' });
    await launchCampaign(system.ctx, campaign.id);
    await launchCampaign(system.ctx, campaign.id);
    await system.sink.waitFor(before + 2);
    await new Promise((r) => setTimeout(r, 400));
    // am1 manages account 1 only: its two contacts, once each.
    expect(system.sink.messages.length - before).toBe(2);
  });

  it("nobody gets a second survey in one quarter, even from an account manager's own campaign", async () => {
    const before = system.sink.messages.length;
    const campaign = await createCampaign(system.ctx, { quarter: '2027-Q1' });
    const outcome = await launchCampaign(system.ctx, campaign.id);
    // 5 contacts; am1's two already had 2027-Q1's survey.
    expect(outcome.deliveries).toBe(3);
    await system.sink.waitFor(before + 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(system.sink.messages.length - before).toBe(3);
  });

  it('a resend never gives someone a second survey in a quarter another campaign has reached them in', async () => {
    const first = await createCampaign(system.ctx, { quarter: '2027-Q4', accountManagerEmail: 'am0@agency.test' });
    const before = system.sink.messages.length;
    await startCampaign(system.ctx, first.id);
    await system.sink.waitFor(before + 2);
    await eventually('the first campaign to be sent', async () =>
      (await system.ctx.db.kysely.selectFrom('campaigns').select('status').where('id', '=', first.id).executeTakeFirstOrThrow()).status === 'sent');
    // Pretend both of its sends failed: a second campaign of the quarter then reaches the two people.
    await system.ctx.db.kysely.updateTable('deliveries').set({ status: 'failed' }).where('campaign_id', '=', first.id).execute();
    const second = await createCampaign(system.ctx, { quarter: '2027-Q4', accountManagerEmail: 'am0@agency.test' });
    expect((await launchCampaign(system.ctx, second.id)).deliveries).toBe(2);
    await system.sink.waitFor(before + 4);
    await eventually('the second campaign to be sent', async () =>
      (await system.ctx.db.kysely.selectFrom('campaigns').select('status').where('id', '=', second.id).executeTakeFirstOrThrow()).status === 'sent');
    // Resending the first one now must not email them again.
    expect((await startCampaign(system.ctx, first.id)).resent).toBe(2);
    const rows = await eventually('the resend to settle', async () => {
      const r = await system.ctx.db.kysely.selectFrom('deliveries').select(['status', 'last_error']).where('campaign_id', '=', first.id).execute();
      return r.every((d) => d.status === 'suppressed') ? r : undefined;
    });
    expect(rows[0].last_error).toBe('surveyed this quarter by another campaign');
    await new Promise((r) => setTimeout(r, 300));
    expect(system.sink.messages.length).toBe(before + 4);
  });

  it('a quarterly run launches the quarter the scheduler meant, not the one the job was created in', async () => {
    // Created at the previous run (1 Oct), promoted with delay 0, meant for 1 Jan.
    const job = { opts: { prevMillis: Date.UTC(2027, 0, 1) }, timestamp: Date.UTC(2026, 9, 1), processedOn: Date.UTC(2027, 0, 1) - 2000 };
    expect(scheduledTimeOf(job as never).toISOString()).toBe('2027-01-01T00:01:00.000Z');
    // And the worker path end to end: a scheduler that fires now creates this quarter's campaign.
    await system.ctx.queues.campaigns.upsertJobScheduler('test-quarterly-now', { every: 60_000, immediately: true }, { name: 'launch-quarter', data: {} });
    try {
      const quarter = formatQuarter(quarterOf(new Date(), 'UTC'));
      const launched = await eventually('the scheduled launch job to complete', async () => {
        const done = await system.ctx.queues.campaigns.getCompleted();
        return done.find((j) => j.name === 'launch-quarter')?.returnvalue as { campaignId: string } | undefined;
      });
      const campaign = await system.ctx.db.kysely.selectFrom('campaigns').select(['schedule_key', 'segment']).where('id', '=', launched.campaignId).executeTakeFirstOrThrow();
      expect(campaign).toEqual({ schedule_key: `quarterly-${quarter}`, segment: 'managed' });
    } finally {
      await system.ctx.queues.campaigns.removeJobScheduler('test-quarterly-now');
    }
  });

  it('a campaign with a send time goes out at that time, not before', async () => {
    const before = system.sink.messages.length;
    const sendAt = Date.now() + 2000;
    const campaign = await createCampaign(system.ctx, { quarter: '2027-Q2', sendAt: new Date(sendAt) });
    expect(campaign.status).toBe('scheduled');
    // Look until just before the send time (however slowly this test itself runs): nothing yet.
    while (Date.now() < sendAt - 100) {
      const seen = system.sink.messages.length;
      if (Date.now() < sendAt) expect(seen).toBe(before);
      await new Promise((r) => setTimeout(r, 100));
    }
    await system.sink.waitFor(before + 5, 15_000);
    const arrived = system.sink.messages.slice(before).map((m) => m.date?.getTime() ?? 0);
    expect(Math.min(...arrived)).toBeGreaterThanOrEqual(sendAt - 1000); // Date headers have 1 s resolution
  });
});

describe('when the mail server has trouble', () => {
  let system: TestSystem;
  let server: SMTPServer;
  const rejections = new Map<string, number>();
  let relayBroken = true;

  beforeAll(async () => {
    const port = await freePort();
    // temp@ fails once with 451 (try later), bad@ always with 550 (no such user).
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onRcptTo(address, _session, callback) {
        const n = rejections.get(address.address) ?? 0;
        rejections.set(address.address, n + 1);
        if (address.address.startsWith('bad@')) return callback(Object.assign(new Error('no such user'), { responseCode: 550 }));
        if (address.address.startsWith('temp@') && n === 0) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        if (address.address.startsWith('flaky@') && relayBroken) return callback(Object.assign(new Error('relay not ready'), { responseCode: 451 }));
        callback();
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    system = await startTestSystem('sqlite', { smtpUrl: `smtp://127.0.0.1:${port}` });
    const csv = join(system.dataDir, 'trouble.csv');
    await writeFile(csv, 'account,email\nT,temp@t.test\nT,bad@t.test\nT,flaky@t.test\n');
    await importClientFile(system.ctx, csv);
  });
  afterAll(async () => {
    await system?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a temporary failure is retried and delivered; a refused address is marked failed and not retried', async () => {
    const campaign = await createCampaign(system.ctx, { quarter: '2026-Q4' });
    await startCampaign(system.ctx, campaign.id);
    const rows = await eventually('both deliveries to settle', async () => {
      const r = await system.ctx.db.kysely
        .selectFrom('deliveries as d')
        .innerJoin('contacts as c', 'c.id', 'd.contact_id')
        .select(['c.email', 'd.status', 'd.attempts', 'd.last_error'])
        .where('d.campaign_id', '=', campaign.id)
        .orderBy('c.email')
        .execute();
      return r.length === 3 && r.every((d) => d.status === 'sent' || d.status === 'failed') ? r : undefined;
    });
    expect(rows[0]).toMatchObject({ email: 'bad@t.test', status: 'failed', attempts: 1 });
    expect(rows[0].last_error).toMatch(/550|no such user/);
    expect(rows[1]).toMatchObject({ email: 'flaky@t.test', status: 'failed', attempts: 3 });
    expect(rows[1].last_error).toMatch(/451|relay not ready/);
    expect(rows[2]).toMatchObject({ email: 'temp@t.test', status: 'sent', attempts: 2 });
    expect(rejections.get('bad@t.test')).toBe(1);
    const status = await system.ctx.db.kysely.selectFrom('campaigns').select('status').where('id', '=', campaign.id).executeTakeFirstOrThrow();
    expect(status.status).toBe('sent');

    // The relay is fixed; sending the campaign again reaches the person the retries could not.
    relayBroken = false;
    const again = await startCampaign(system.ctx, campaign.id);
    expect(again.resent).toBe(2);
    const after = await eventually('the resend to settle', async () => {
      const r = await system.ctx.db.kysely
        .selectFrom('deliveries as d')
        .innerJoin('contacts as c', 'c.id', 'd.contact_id')
        .select(['c.email', 'd.status'])
        .where('d.campaign_id', '=', campaign.id)
        .orderBy('c.email')
        .execute();
      return r.every((d) => d.status === 'sent' || d.status === 'failed') && r[1].status === 'sent' ? r : undefined;
    });
    expect(after.map((d) => d.status)).toEqual(['failed', 'sent', 'sent']);
    const final = await eventually('the campaign to be sent again', async () => {
      const row = await system.ctx.db.kysely.selectFrom('campaigns').select('status').where('id', '=', campaign.id).executeTakeFirstOrThrow();
      return row.status === 'sent' ? row : undefined;
    });
    expect(final.status).toBe('sent');
    // temp@ got exactly one message: it was not resent.
    expect(rejections.get('temp@t.test')).toBe(2);
  });

  it("a failed job's late report cannot mark a delivery failed that was queued again since", async () => {
    const bad = await system.ctx.db.kysely
      .selectFrom('deliveries as d')
      .innerJoin('contacts as c', 'c.id', 'd.contact_id')
      .select(['d.id', 'd.campaign_id', 'd.send_job', 'd.status'])
      .where('c.email', '=', 'bad@t.test')
      .executeTakeFirstOrThrow();
    expect(bad.status).toBe('failed');
    await requeueFailedDeliveries(system.ctx.db.kysely, bad.campaign_id);
    await settleFailedSend(system.ctx, bad.id, bad.send_job as string, 'reported late');
    const row = await system.ctx.db.kysely.selectFrom('deliveries').select(['status', 'last_error', 'attempts']).where('id', '=', bad.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.last_error).not.toBe('reported late');
    // ...while the job queued for this round, failing before it could claim, does mark it.
    await settleFailedSend(system.ctx, bad.id, `send-${bad.id}-${row.attempts}`, 'database was away');
    const after = await system.ctx.db.kysely.selectFrom('deliveries').select(['status', 'last_error']).where('id', '=', bad.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'failed', last_error: 'database was away' });
  });
});
