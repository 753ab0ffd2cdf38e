// With no SMTP_URL, survey emails land in the outbox folder and the admin shows them.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, startCampaign } from '../src/app/campaigns.js';
import { importClientFile } from '../src/app/import-clients.js';
import { isoNow, newId } from '../src/db/ids.js';
import { insertStaff } from '../src/db/staff-repo.js';
import { hashPassword } from '../src/domain/password.js';
import { eventually, startTestSystem, writeClientCsv, type TestSystem } from './support/system.js';

describe('the outbox, when SMTP_URL is not set', () => {
  let system: TestSystem;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    system = await startTestSystem('sqlite', { smtp: false });
    await insertStaff(system.ctx.db.kysely, { id: newId(), email: 'admin@agency.test', name: 'Ada Admin', role: 'admin', passwordHash: hashPassword(password, randomBytes(16)), createdAt: isoNow() });
    await importClientFile(system.ctx, await writeClientCsv(system.dataDir, 1, 3));
    const campaign = await createCampaign(system.ctx, { quarter: '2026-Q4' });
    await startCampaign(system.ctx, campaign.id);
  });
  afterAll(async () => {
    await system?.close();
  });

  const login = async (pass: string, origin = system.baseUrl) =>
    fetch(`${system.baseUrl}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ email: 'admin@agency.test', password: pass, next: '/admin/outbox' }).toString(),
    });

  it('writes one .eml file per survey email instead of sending', async () => {
    const files = await eventually('three .eml files', async () => {
      const names = await readdir(join(system.dataDir, 'outbox')).catch(() => []);
      return names.filter((n) => n.endsWith('.eml')).length === 3 ? names : undefined;
    });
    expect(files).toHaveLength(3);
    expect(system.sink.messages).toHaveLength(0);
  });

  it('asks for a login, refuses a wrong password and a cross-site form', async () => {
    const anonymous = await fetch(`${system.baseUrl}/admin/outbox`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/admin/login');
    const loginPage = await (await fetch(`${system.baseUrl}/admin/login`)).text();
    expect(loginPage).toContain('name="email"');
    expect(loginPage).toContain('name="password"');
    const wrong = await login('not the password');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('do not match');
    expect((await login(password, 'https://evil.test')).status).toBe(403);
  });

  it('lists the messages and shows one with its headers, HTML and text parts', async () => {
    const ok = await login(password);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/outbox');
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/^nps_session=/);
    const list = await (await fetch(`${system.baseUrl}/admin/outbox`, { headers: { cookie } })).text();
    expect(list.match(/How likely are you to recommend Northwind Content\?/g)).toHaveLength(3);
    expect(list).toContain('person1@account1.test');
    const href = /href="(\/admin\/outbox\/[^"]+\.eml)"/.exec(list)?.[1] as string;
    const view = await fetch(`${system.baseUrl}${href}`, { headers: { cookie } });
    expect(view.status).toBe(200);
    const html = await view.text();
    expect(html).toMatch(new RegExp(`<th>List-Unsubscribe</th><td>&lt;${system.baseUrl}/u/[^<]+&gt;</td>`));
    expect(html).toContain('<th>List-Unsubscribe-Post</th><td>List-Unsubscribe=One-Click</td>');
    expect(html).toContain('<iframe sandbox=""');
    expect(html).toContain('Not likely');
    const missing = await fetch(`${system.baseUrl}/admin/outbox/nothing-here.eml`, { headers: { cookie } });
    expect(missing.status).toBe(404);
  });
});
