// The quarterly loop end to end: CSV -> campaign -> 30 real emails -> clicks -> NPS, per dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, startCampaign } from '../src/app/campaigns.js';
import { importClientFile } from '../src/app/import-clients.js';
import { queryResults } from '../src/app/results.js';
import { readStoredResults } from '../src/db/results-repo.js';
import { dialectsUnderTest } from './support/databases.js';
import { answer, eventually, scoreLinks, startTestSystem, writeClientCsv, type TestSystem } from './support/system.js';

// Who answers what: index i is the i-th message by recipient address. undefined = no answer.
// 12 promoters, 6 passives, 7 detractors, 5 silent: NPS = (12 - 7) / 25 = +20, response rate 25/30.
const PLAN: (number | undefined)[] = [
  10, 9, 10, 9, 10, 9, 10, 9, 10, 9, 10, 9,
  7, 8, 7, 8, 7, 8,
  0, 3, 6, 5, 1, 6, 4,
  undefined, undefined, undefined, undefined, undefined,
];

describe.each(dialectsUnderTest())('the quarterly survey loop on %s', (dialect) => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem(dialect);
  });
  afterAll(async () => {
    await system?.close();
  });

  it('30 clients get one survey email each, and their clicks give exactly the planned NPS', async () => {
    const csv = await writeClientCsv(system.dataDir, 10, 3);
    const report = await importClientFile(system.ctx, csv);
    expect(report).toMatchObject({ created: 30, updated: 0, accountsCreated: 10, problems: [] });

    const campaign = await createCampaign(system.ctx, { quarter: '2026-Q4', segment: 'managed' });
    await startCampaign(system.ctx, campaign.id);
    const messages = await system.sink.waitFor(30);
    // The worker records each send after the mail server accepted it.
    await eventually('all 30 deliveries recorded as sent', async () => {
      const rows = await system.ctx.db.kysely.selectFrom('deliveries').select('status').where('campaign_id', '=', campaign.id).execute();
      return rows.length === 30 && rows.every((r) => r.status === 'sent');
    });
    // Nothing more arrives: one email per contact.
    await new Promise((r) => setTimeout(r, 300));
    expect(system.sink.messages).toHaveLength(30);

    const address = (m: (typeof messages)[number]) => String([m.to].flat()[0]?.value[0]?.address);
    const byRecipient = [...messages].sort((a, b) => (address(a) < address(b) ? -1 : 1));
    const messageIds = new Set<string>();
    for (const mail of byRecipient) {
      expect(mail.subject).toBe('How likely are you to recommend Northwind Content? (one click)');
      expect(mail.from?.value[0].address).toBe('success@agency.test');
      messageIds.add(String(mail.messageId));
      const header = (key: string) => mail.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n\s+/g, ' ');
      expect(header('list-unsubscribe')).toMatch(new RegExp(`^List-Unsubscribe: <${system.baseUrl}/u/[^>]+>$`));
      expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(header('message-id')).toMatch(/^Message-ID: <nps\.[A-Za-z0-9_-]+@127\.0\.0\.1>$/);
      expect(mail.text).toContain('How likely are you to recommend Northwind Content');
      expect(mail.html).toContain('Not likely');
      expect(mail.html).toContain('Very likely');
      expect(mail.html).toContain('Unsubscribe');
      const links = scoreLinks(mail);
      expect([...links.keys()]).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      for (const [score, url] of links) {
        expect(url).toBe(`${[...links.values()][0].replace(/\/0$/, '')}/${score}`);
        expect(mail.text, 'the text part carries the same links').toContain(url);
      }
    }
    expect(messageIds.size).toBe(30);

    for (const [i, mail] of byRecipient.entries()) {
      const score = PLAN[i];
      if (score !== undefined) await answer(scoreLinks(mail).get(String(score)) as string, score);
    }

    // The results job runs on its own, debounced, after the responses.
    const [line] = await eventually('the results job to count 25 responses', async () => {
      const stored = await readStoredResults(system.ctx.db.kysely, { kind: 'campaign', id: campaign.id }, 'all');
      return stored[0]?.responses === 25 ? stored : undefined;
    });
    expect(line).toMatchObject({ delivered: 30, responses: 25, promoters: 12, passives: 6, detractors: 7, nps: 20, responseRate: 83.3 });
    expect(line.marginOfError).toBeGreaterThan(0);
    expect(line.marginOfError).toBeLessThan(30);
  });

  it('results split by account manager, segment and channel add up to the planned answers', async () => {
    const [campaign] = await system.ctx.db.kysely.selectFrom('campaigns').select('id').execute();
    const recipients = system.sink.messages.slice(0, 30).map((m) => String([m.to].flat()[0]?.value[0]?.address)).sort();
    // writeClientCsv gives account N the manager am{N % 2}.
    const expected = new Map<string, { promoters: number; passives: number; detractors: number; delivered: number }>();
    recipients.forEach((address, i) => {
      const manager = `am${Number(/@account(\d+)\./.exec(address)?.[1]) % 2}@agency.test`;
      const line = expected.get(manager) ?? { promoters: 0, passives: 0, detractors: 0, delivered: 0 };
      line.delivered++;
      const score = PLAN[i];
      if (score !== undefined) line[score >= 9 ? 'promoters' : score >= 7 ? 'passives' : 'detractors']++;
      expected.set(manager, line);
    });
    const byManager = await queryResults(system.ctx, { campaignId: campaign.id }, 'account_manager');
    expect(byManager.map((l) => l.label)).toEqual(['am0@agency.test', 'am1@agency.test']);
    for (const line of byManager) expect(line).toMatchObject(expected.get(line.label)!);
    const [segment] = await queryResults(system.ctx, { campaignId: campaign.id }, 'segment');
    expect(segment).toMatchObject({ label: 'managed', responses: 25, delivered: 30, nps: 20 });
    const [channel] = await queryResults(system.ctx, { campaignId: campaign.id }, 'channel');
    expect(channel).toMatchObject({ label: 'email', responses: 25, delivered: 30, nps: 20 });
    const [quarter] = await queryResults(system.ctx, { quarter: '2026-Q4' }, 'all');
    expect(quarter).toMatchObject({ responses: 25, delivered: 30, nps: 20 });
  });

  it('results asked for at the same moment (a job and a person) both succeed and agree', async () => {
    const [campaign] = await system.ctx.db.kysely.selectFrom('campaigns').select('id').execute();
    const runs = await Promise.all(Array.from({ length: 6 }, () => queryResults(system.ctx, { campaignId: campaign.id }, 'account')));
    for (const lines of runs) expect(lines).toEqual(runs[0]);
    expect(runs[0]).toHaveLength(10);
    expect(runs[0].reduce((sum, l) => sum + l.responses, 0)).toBe(25);
    const stored = await readStoredResults(system.ctx.db.kysely, { kind: 'campaign', id: campaign.id }, 'account');
    expect(stored.map((l) => l.label)).toEqual(runs[0].map((l) => l.label));
  });

  it('a person who clicks again changes their score: the latest answer wins', async () => {
    const campaigns = await system.ctx.db.kysely.selectFrom('campaigns').select('id').execute();
    const mail = system.sink.messages.find((m) => String([m.to].flat()[0]?.text).includes('person1@account1.test'));
    expect(mail).toBeDefined();
    await answer(scoreLinks(mail!).get('2') as string, 2);
    const row = await system.ctx.db.kysely.selectFrom('responses').select(['score']).where('campaign_id', '=', campaigns[0].id).execute();
    expect(row).toHaveLength(25);
    const [line] = await eventually('the results job to see the changed score', async () => {
      const stored = await readStoredResults(system.ctx.db.kysely, { kind: 'campaign', id: campaigns[0].id }, 'all');
      return stored[0]?.detractors === 8 ? stored : undefined;
    });
    expect(line).toMatchObject({ promoters: 11, detractors: 8, responses: 25, nps: 12 });
  });
});
