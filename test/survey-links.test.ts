// What strangers, scanners and mistakes can do with survey links: nothing that records a score,
// nothing that produces a 500.
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, startCampaign } from '../src/app/campaigns.js';
import { queryResults } from '../src/app/results.js';
import { importClientFile } from '../src/app/import-clients.js';
import { keyringFromSecrets, signToken } from '../src/domain/token.js';
import { redisAnswers } from '../src/queue/connection.js';
import { createApp } from '../src/web/app.js';
import { connectDatabase } from '../src/db/connect.js';
import { freePort } from './support/free-port.js';
import { dialectsUnderTest } from './support/databases.js';
import { scoreLinks, startTestSystem, TEST_SECRET, writeClientCsv, type TestSystem } from './support/system.js';

describe.each(dialectsUnderTest())('survey links on %s', (dialect) => {
  let system: TestSystem;
  let mails: ParsedMail[];
  const responseCount = async () => Number((await system.ctx.db.kysely.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    system = await startTestSystem(dialect);
    await importClientFile(system.ctx, await writeClientCsv(system.dataDir, 2, 3));
    const campaign = await createCampaign(system.ctx, { quarter: '2026-Q4' });
    await startCampaign(system.ctx, campaign.id);
    mails = await system.sink.waitFor(6);
  });
  afterAll(async () => {
    await system?.close();
  });

  it('a scanner that fetches all eleven links with GET and HEAD records nothing', async () => {
    const links = [...scoreLinks(mails[0]).values()];
    expect(links).toHaveLength(11);
    for (const link of links) {
      const get = await fetch(link, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; SafeLinks scanner)' } });
      expect(get.status).toBe(200);
      await get.text();
      const head = await fetch(link, { method: 'HEAD' });
      expect(head.status).toBe(200);
    }
    expect(await responseCount()).toBe(0);
    // ...but every fetch is kept as evidence.
    const events = await system.ctx.db.kysely.selectFrom('link_events').select(['method', 'user_agent']).execute();
    expect(events.filter((e) => e.method === 'GET')).toHaveLength(11);
    expect(events.filter((e) => e.method === 'HEAD')).toHaveLength(11);
    expect(events.some((e) => e.user_agent?.includes('SafeLinks'))).toBe(true);
  });

  it('forged, altered, truncated and expired tokens get a clear 4xx page and write nothing', async () => {
    const link = scoreLinks(mails[1]).get('9') as string;
    const token = link.split('/s/')[1].split('/')[0];
    const [kid, purpose, delivery, expiry, mac] = token.split('.');
    const forgedKeys = keyringFromSecrets(['someone-elses-secret-that-is-long-enough']);
    const expired = signToken(keyringFromSecrets([TEST_SECRET]), 'respond', delivery, new Date(Date.now() - 1000));
    const cases: [string, string, number][] = [
      ['altered delivery', [kid, purpose, delivery.slice(0, -1) + (delivery.endsWith('A') ? 'B' : 'A'), expiry, mac].join('.'), 404],
      ['altered expiry', [kid, purpose, delivery, 'zzzzzzz', mac].join('.'), 404],
      ['truncated', token.slice(0, -5), 404],
      ['forged with another key', signToken(forgedKeys, 'respond', delivery, new Date(Date.now() + 86_400_000)), 404],
      ['unsubscribe token used as survey link', signToken(keyringFromSecrets([TEST_SECRET]), 'unsubscribe', delivery, new Date(Date.now() + 86_400_000)), 404],
      ['expired', expired, 410],
      ['garbage', 'not-a-token', 404],
    ];
    for (const [what, bad, status] of cases) {
      const get = await fetch(`${system.baseUrl}/s/${bad}/9`);
      expect(get.status, `GET ${what}`).toBe(status);
      expect(await get.text(), `GET ${what}`).toMatch(/survey|link/i);
      const post = await fetch(`${system.baseUrl}/s/${bad}/score`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'score=9' });
      expect(post.status, `POST ${what}`).toBe(status);
      const form = await fetch(`${system.baseUrl}/s/${bad}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'score=9&reason=x', redirect: 'manual' });
      expect(form.status, `form ${what}`).toBe(status);
    }
    expect(await responseCount()).toBe(0);
  });

  it('a score outside 0..10 is refused with a 400 and writes nothing', async () => {
    const link = scoreLinks(mails[1]).get('9') as string;
    const base = link.replace(/\/9$/, '');
    for (const score of ['11', '-1', '7.5', 'abc', '010', '%00', '1e1']) {
      const get = await fetch(`${base}/${score}`);
      expect(get.status, `GET score ${score}`).toBe(400);
      expect(await get.text()).toContain('whole number from 0 to 10');
      const post = await fetch(`${base}/score`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `score=${encodeURIComponent(score)}` });
      expect(post.status, `POST score ${score}`).toBe(400);
    }
    const missing = await fetch(`${base}/score`, { method: 'POST' });
    expect(missing.status).toBe(400);
    expect(await responseCount()).toBe(0);
  });

  it('nothing a visitor sends produces a 500', async () => {
    const link = scoreLinks(mails[2]).get('5') as string;
    const base = link.replace(/\/5$/, '');
    const attempts: [string, RequestInit][] = [
      [`${base}/score`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nbroken' }],
      [`${base}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"score":' }],
      [`${base}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `score=5&reason=${'x'.repeat(5001)}` }],
      [`${base}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'score=55&reason=%E0%A4%A' }],
      // PostgreSQL refuses NUL in text: it must be a 400 before it gets there.
      [`${base}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'score=5&reason=a%00b' }],
      [`${system.baseUrl}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: system.baseUrl }, body: 'email=a%00b%40x.test&password=x' }],
      [`${base}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `reason=${'y'.repeat(100_000)}` }],
      [`${base}/score`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nContent-Disposition: form-data; name="score"; filename="a.txt"\r\n\r\n5\r\n--x--\r\n' }],
      [`${system.baseUrl}/s/%E0%A4%A/5`, {}],
      [`${system.baseUrl}/s/${'a'.repeat(5000)}/5`, {}],
      [`${system.baseUrl}/s/`, {}],
      [`${system.baseUrl}/u/garbage`, { method: 'POST' }],
      [`${system.baseUrl}/admin/outbox/..%2F..%2Fetc%2Fpasswd`, {}],
      [`${system.baseUrl}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: system.baseUrl }, body: 'email=%FF&password=' }],
    ];
    for (const [url, init] of attempts) {
      const response = await fetch(url, { redirect: 'manual', ...init });
      expect(response.status, `${init.method ?? 'GET'} ${url.slice(0, 80)}`).toBeGreaterThanOrEqual(300);
      expect(response.status, `${init.method ?? 'GET'} ${url.slice(0, 80)}`).toBeLessThan(500);
    }
    expect(await responseCount()).toBe(0);
  });

  it('unsubscribing by one-click POST stops the next campaign from emailing that person', async () => {
    const mail = mails[3];
    const header = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const url = /<([^>]+)>/.exec(header)?.[1] as string;
    // A scanner's GET only shows the question.
    expect((await fetch(url)).status).toBe(200);
    // RFC 8058: the mailbox provider POSTs this body, with no Origin header.
    const post = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(post.status).toBe(200);
    expect(await post.text()).toContain('will get no more survey emails');
    const before = system.sink.messages.length;
    const next = await createCampaign(system.ctx, { quarter: '2027-Q1' });
    await startCampaign(system.ctx, next.id);
    await system.sink.waitFor(before + 5);
    await new Promise((r) => setTimeout(r, 300));
    expect(system.sink.messages.length).toBe(before + 5);
    const unsubscribed = String([mail.to].flat()[0]?.text);
    expect(system.sink.messages.slice(before).map((m) => String([m.to].flat()[0]?.text))).not.toContain(unsubscribed);
  });

  it("a scanner that runs the page's script on all eleven links leaves an answer the results leave out, until the person answers", async () => {
    const links = scoreLinks(mails[5]);
    const base = (links.get('0') as string).replace(/\/0$/, '');
    const deliveryId = base.split('/s/')[1].split('.')[2];
    for (const score of links.keys()) {
      const post = await fetch(`${base}/score`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Scanner/1.0' }, body: `score=${score}` });
      expect(post.status).toBe(200);
    }
    const state = async () => (await system.ctx.db.kysely.selectFrom('responses').select(['state', 'score']).where('delivery_id', '=', deliveryId).executeTakeFirstOrThrow());
    expect(await state()).toEqual({ state: 'suspected_bot', score: 10 });
    const campaignId = (await system.ctx.db.kysely.selectFrom('deliveries').select('campaign_id').where('id', '=', deliveryId).executeTakeFirstOrThrow()).campaign_id;
    const counted = async () => (await queryResults(system.ctx, { campaignId }, 'all'))[0].responses;
    expect(await counted()).toBe(0);

    // The person clicks right after, in their own browser: their answer counts, the burst is the scanner's.
    const click = await fetch(`${base}/score`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mozilla/5.0 (Person)' }, body: 'score=4' });
    expect(click.status).toBe(200);
    expect(await state()).toEqual({ state: 'confirmed', score: 4 });
    expect(await counted()).toBe(1);
    // Another burst, then the person sends the form: a person's action, counted again.
    for (const score of ['1', '2', '3']) {
      await fetch(`${base}/score`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Scanner/1.0' }, body: `score=${score}` });
    }
    expect((await state()).state).toBe('suspected_bot');
    const form = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'score=6&reason=Slow+turnaround', redirect: 'manual' });
    expect(form.status).toBe(303);
    expect(await state()).toEqual({ state: 'confirmed', score: 6 });
    expect(await counted()).toBe(1);
  });

  it('after the survey closes, its links explain that and accept nothing', async () => {
    const link = scoreLinks(mails[4]).get('7') as string;
    const base = link.replace(/\/7$/, '');
    const campaignId = (await system.ctx.db.kysely.selectFrom('campaigns').select('id').orderBy('created_at').executeTakeFirstOrThrow()).id;
    const closesAt = (await system.ctx.db.kysely.selectFrom('campaigns').select('closes_at').where('id', '=', campaignId).executeTakeFirstOrThrow()).closes_at;
    await system.ctx.db.kysely.updateTable('campaigns').set({ closes_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', campaignId).execute();
    try {
      const before = await responseCount();
      const get = await fetch(link);
      expect(get.status).toBe(410);
      expect(await get.text()).toContain('This survey has closed');
      const post = await fetch(`${base}/score`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'score=7' });
      expect(post.status).toBe(410);
      const form = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'score=7&reason=late', redirect: 'manual' });
      expect(form.status).toBe(410);
      expect(await responseCount()).toBe(before);
    } finally {
      await system.ctx.db.kysely.updateTable('campaigns').set({ closes_at: closesAt }).where('id', '=', campaignId).execute();
    }
  });

  it('GET /healthz reports the database and Redis', async () => {
    const response = await fetch(`${system.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
    // With Redis gone, a load balancer sees 503 and which part is down.
    const app = createApp({ ...system.ctx, outboxDir: system.dataDir, redisAnswers: () => redisAnswers('redis://127.0.0.1:1', 300) });
    const degraded = await app.request('/healthz');
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toEqual({ status: 'degraded', database: 'ok', redis: 'down' });
  });

  it('with the database unreachable, a survey link answers 503 "try again", not an error', async () => {
    const port = await freePort();
    const down = await connectDatabase({ dialect: 'postgres', url: `postgres://nobody@127.0.0.1:${port}/nps` });
    try {
      const app = createApp({ ...system.ctx, db: down, outboxDir: system.dataDir, redisAnswers: async () => true, log: () => {} });
      const token = signToken(keyringFromSecrets([TEST_SECRET]), 'respond', 'someDelivery', new Date(Date.now() + 86_400_000));
      const response = await app.request(`/s/${token}/7`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(await response.text()).toContain('try again in a minute');
      expect((await app.request('/healthz')).status).toBe(503);
    } finally {
      await down.close();
    }
  });
});
