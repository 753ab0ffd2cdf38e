// The survey page in a real Chromium: the score link from the email records the score by itself,
// the follow-up answers are saved and shown again, and without JavaScript one button does it.
import type { ParsedMail } from 'mailparser';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCampaign, startCampaign } from '../src/app/campaigns.js';
import { importClientFile } from '../src/app/import-clients.js';
import { scoreLinks, startTestSystem, writeClientCsv, type TestSystem } from './support/system.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const SCREENSHOT = '/tmp/survey-page.png';
const chromiumPath = inject('chromiumPath');

/** The recipient address of a message. */
function recipient(mail: ParsedMail): string {
  return String([mail.to].flat()[0]?.text ?? '');
}

/** The responses stored for the delivery a message belongs to. */
async function responsesFor(system: TestSystem, mail: ParsedMail) {
  const db = system.ctx.db.kysely;
  const delivery = await db.selectFrom('deliveries').select('id').where('message_id', '=', String(mail.messageId)).executeTakeFirstOrThrow();
  return db.selectFrom('responses').select(['score', 'reason', 'went_well', 'to_improve']).where('delivery_id', '=', delivery.id).execute();
}

// Locally a missing Chromium skips these tests (as a missing PostgreSQL does); under CI it fails.
describe.skipIf(!chromiumPath && !process.env.CI)('the survey page in a real browser', () => {
  let system: TestSystem;
  let browser: Browser;
  let messages: ParsedMail[];
  /** The page of test 1, used again by test 2. */
  let surveyPage: Page;
  let jsContext: BrowserContext;

  beforeAll(async () => {
    if (!chromiumPath) throw new Error('Chromium is required under CI (apt-get install chromium): inject("chromiumPath") is empty');
    [system, browser] = await Promise.all([
      startTestSystem('sqlite'),
      chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS }),
    ]);
    const csv = await writeClientCsv(system.dataDir, 2, 2);
    const report = await importClientFile(system.ctx, csv);
    expect(report).toMatchObject({ created: 4, problems: [] });
    const campaign = await createCampaign(system.ctx, { quarter: '2026-Q4', segment: 'managed' });
    await startCampaign(system.ctx, campaign.id);
    messages = (await system.sink.waitFor(4)).sort((a, b) => recipient(a).localeCompare(recipient(b)));
    jsContext = await browser.newContext();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  it('opening a score link from the email records the score with no further click', async () => {
    const mail = messages[0];
    expect(await responsesFor(system, mail)).toEqual([]);

    // The email itself, in a fresh page (not under the app's CSP), and its "8" link clicked.
    surveyPage = await jsContext.newPage();
    await surveyPage.setContent(typeof mail.html === 'string' ? mail.html : '');
    const eight = surveyPage.getByRole('link', { name: '8', exact: true });
    await expect(eight.getAttribute('href')).resolves.toBe(scoreLinks(mail).get('8'));
    await Promise.all([surveyPage.waitForURL(`${system.baseUrl}/s/**`), eight.click()]);
    expect(surveyPage.url()).toBe(scoreLinks(mail).get('8'));

    // The page's own script records the score; nothing else is clicked.
    const status = surveyPage.locator('#status');
    await status.filter({ hasText: 'Your score of 8 is recorded' }).waitFor({ timeout: 10_000 });
    await expect(status.getAttribute('class')).resolves.toContain('ok');
    expect(await surveyPage.locator('input[name="score"][value="8"]').isChecked()).toBe(true);
    expect(await surveyPage.locator('input[name="score"]:checked').count()).toBe(1);
    // The page's stylesheet applies whole (an escaped quote once dropped the font rule).
    expect(await surveyPage.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('system-ui');
    await surveyPage.screenshot({ path: SCREENSHOT, fullPage: true });

    const rows = await responsesFor(system, mail);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ score: 8, reason: null, went_well: null, to_improve: null });
  });

  it('the follow-up answers are saved and shown again', async () => {
    expect(surveyPage, 'test 1 left the survey page open').toBeDefined();
    const mail = messages[0];
    const answers = {
      reason: 'Quick replies & clear reports.',
      went_well: 'Weekly updates <on time>.',
      to_improve: 'More "ideas"\nfor next quarter.',
    };
    await surveyPage.locator('#reason').fill(answers.reason);
    await surveyPage.locator('#went_well').fill(answers.went_well);
    await surveyPage.locator('#to_improve').fill(answers.to_improve);
    await Promise.all([
      surveyPage.waitForURL(/\/s\/[^/?]+\?saved=1$/),
      surveyPage.getByRole('button', { name: 'Record my answer' }).click(),
    ]);

    await surveyPage.locator('#status').filter({ hasText: 'Your answers are saved' }).waitFor({ timeout: 5_000 });
    expect(await surveyPage.locator('#status').isVisible()).toBe(true);
    expect(await surveyPage.locator('#reason').inputValue()).toBe(answers.reason);
    expect(await surveyPage.locator('#went_well').inputValue()).toBe(answers.went_well);
    expect(await surveyPage.locator('#to_improve').inputValue()).toBe(answers.to_improve);
    expect(await surveyPage.locator('input[name="score"][value="8"]').isChecked()).toBe(true);

    const rows = await responsesFor(system, mail);
    expect(rows).toEqual([{ score: 8, ...answers }]);
  });

  it('with JavaScript off, one button records the score', async () => {
    const mail = messages[1];
    const link = scoreLinks(mail).get('3');
    expect(link).toBeDefined();
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const response = await page.goto(link as string);
      expect(response?.status()).toBe(200);
      expect(await page.locator('input[name="score"][value="3"]').isChecked()).toBe(true);
      // (Playwright's getByText skips <noscript> subtrees, hence the CSS locator.)
      const hint = page.locator('noscript .status');
      expect(await hint.isVisible()).toBe(true);
      expect(await hint.textContent()).toBe('Press “Record my answer” below to record your score of 3.');
      expect(await page.locator('#status').isVisible()).toBe(false);
      // Opening the link alone stores nothing.
      expect(await responsesFor(system, mail)).toEqual([]);

      await Promise.all([page.waitForURL(/\?saved=1$/), page.getByRole('button', { name: 'Record my answer' }).click()]);
      expect(await page.locator('#status').textContent()).toContain('Your answers are saved');
      expect(await responsesFor(system, mail)).toEqual([{ score: 3, reason: null, went_well: null, to_improve: null }]);
    } finally {
      await context.close();
    }
  });
});
