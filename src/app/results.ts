/** Result use cases: recompute and store a campaign's figures; answer `results` queries. */
import { findCampaign, listCampaignIdsOfQuarter } from '../db/campaigns-repo.js';
import { isoNow } from '../db/ids.js';
import { computeResults, storeResults, type ResultGroup, type ResultLine } from '../db/results-repo.js';
import { parseQuarter } from '../domain/quarter.js';
import { AppError } from '../errors.js';
import type { AppContext } from './context.js';

/** Recomputes one campaign's overall figures and stores them; the results job's work. */
export async function refreshCampaignResults(ctx: Pick<AppContext, 'db' | 'now'>, campaignId: string): Promise<ResultLine[]> {
  const lines = await computeResults(ctx.db.kysely, [campaignId], 'all');
  await storeResults(ctx.db.kysely, { kind: 'campaign', id: campaignId }, 'all', lines, isoNow(ctx.now()));
  return lines;
}

/** Which responses a results query covers. */
export type ResultsScope = { campaignId: string } | { quarter: string } | Record<string, never>;

/** Computes results on demand for a campaign, a quarter, or everything, split as asked. */
export async function queryResults(ctx: Pick<AppContext, 'db' | 'now'>, scope: ResultsScope, by: ResultGroup): Promise<ResultLine[]> {
  const db = ctx.db.kysely;
  let campaignIds: string[];
  if ('campaignId' in scope) {
    if (!(await findCampaign(db, scope.campaignId))) throw new AppError('CampaignNotFound', `no campaign with id ${scope.campaignId}`);
    campaignIds = [scope.campaignId];
  } else if ('quarter' in scope) {
    if (!parseQuarter(scope.quarter)) throw new AppError('InvalidInput', `quarter "${scope.quarter}" should look like 2026-Q4`);
    campaignIds = await listCampaignIdsOfQuarter(db, scope.quarter);
  } else {
    campaignIds = (await db.selectFrom('campaigns').select('id').execute()).map((r) => r.id);
  }
  const lines = await computeResults(db, campaignIds, by);
  if ('campaignId' in scope) await storeResults(db, { kind: 'campaign', id: scope.campaignId }, by, lines, isoNow(ctx.now()));
  if ('quarter' in scope) await storeResults(db, { kind: 'quarter', id: scope.quarter }, by, lines, isoNow(ctx.now()));
  return lines;
}
