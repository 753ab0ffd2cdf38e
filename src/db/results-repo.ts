/** Result figures: counted in SQL, summarized by the domain, stored for pages and reports. */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.js';
import { summarize, type NpsSummary, type ScoreCounts } from '../domain/nps.js';
import type { Executor } from './executor.js';

/** How results can be split. */
export const RESULT_GROUPS = ['all', 'account_manager', 'segment', 'account', 'channel'] as const;
export type ResultGroup = (typeof RESULT_GROUPS)[number];

/** One line of results: a group and its figures. */
export interface ResultLine extends NpsSummary {
  group: string;
  label: string;
}

// Group key and label per split; `a` is accounts, `src` the row's own table (responses or deliveries).
function groupColumns(by: ResultGroup, channel: RawBuilder<string>): { key: RawBuilder<string>; label: RawBuilder<string> } {
  switch (by) {
    case 'all':
      return { key: sql<string>`''`, label: sql<string>`'all'` };
    case 'account_manager':
      return { key: sql<string>`coalesce(a.account_manager_email, '')`, label: sql<string>`coalesce(a.account_manager_email, '(none)')` };
    case 'segment':
      return { key: sql<string>`a.segment`, label: sql<string>`a.segment` };
    case 'account':
      return { key: sql<string>`a.id`, label: sql<string>`a.name` };
    case 'channel':
      return { key: channel, label: channel };
  }
}

/**
 * Counts per group for a set of campaigns. Suspected bot answers are left out until a person
 * confirms them. Delivered counts sent survey emails; responses count every channel.
 */
export async function computeResults(db: Executor, campaignIds: string[], by: ResultGroup): Promise<ResultLine[]> {
  if (campaignIds.length === 0) return [];
  const responseGroup = groupColumns(by, sql<string>`r.channel`);
  const counted = await db
    .selectFrom('responses as r')
    // By the contact's current account, as deliveries are below, so a moved contact counts once.
    .innerJoin('contacts as c', 'c.id', 'r.contact_id')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select([
      responseGroup.key.as('key'),
      responseGroup.label.as('label'),
      sql<number>`sum(case when r.score >= 9 then 1 else 0 end)`.as('promoters'),
      sql<number>`sum(case when r.score between 7 and 8 then 1 else 0 end)`.as('passives'),
      sql<number>`sum(case when r.score <= 6 then 1 else 0 end)`.as('detractors'),
    ])
    .where('r.campaign_id', 'in', campaignIds)
    .where('r.state', '<>', 'suspected_bot')
    .groupBy([sql`1`, sql`2`])
    .execute();

  const deliveryGroup = groupColumns(by, sql<string>`'email'`);
  const delivered = await db
    .selectFrom('deliveries as d')
    .innerJoin('contacts as c', 'c.id', 'd.contact_id')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select([deliveryGroup.key.as('key'), deliveryGroup.label.as('label'), sql<number>`count(*)`.as('delivered')])
    .where('d.campaign_id', 'in', campaignIds)
    .where('d.status', '=', 'sent')
    .groupBy([sql`1`, sql`2`])
    .execute();

  const lines = new Map<string, { label: string; counts: ScoreCounts; delivered: number }>();
  const lineFor = (key: string, label: string) => {
    let line = lines.get(key);
    if (!line) lines.set(key, (line = { label, counts: { promoters: 0, passives: 0, detractors: 0 }, delivered: 0 }));
    return line;
  };
  for (const row of delivered) lineFor(row.key, row.label).delivered = Number(row.delivered);
  for (const row of counted) {
    lineFor(row.key, row.label).counts = { promoters: Number(row.promoters), passives: Number(row.passives), detractors: Number(row.detractors) };
  }
  if (by === 'all' && lines.size === 0) lineFor('', 'all');
  return [...lines.entries()]
    .map(([group, line]) => ({ group, label: line.label, ...summarize(line.counts, line.delivered) }))
    .sort((x, y) => x.label.localeCompare(y.label));
}

/**
 * Replaces the stored results of one scope and split with freshly computed lines, in one
 * transaction: upserts (so two recomputes at once do not collide on the key) and drops groups
 * that no longer exist. Readers never see the split half-written.
 */
export async function storeResults(
  db: Kysely<Database>,
  scope: { kind: 'campaign' | 'quarter'; id: string },
  by: ResultGroup,
  lines: ResultLine[],
  now: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    let stale = trx.deleteFrom('results').where('scope', '=', scope.kind).where('scope_id', '=', scope.id).where('group_by', '=', by);
    if (lines.length > 0) stale = stale.where('group_key', 'not in', lines.map((l) => l.group));
    await stale.execute();
    for (const l of lines) {
      const figures = {
        group_label: l.label,
        delivered: l.delivered,
        responses: l.responses,
        promoters: l.promoters,
        passives: l.passives,
        detractors: l.detractors,
        nps: l.nps,
        response_rate: l.responseRate,
        margin_of_error: l.marginOfError,
        computed_at: now,
      };
      await trx
        .insertInto('results')
        .values({ scope: scope.kind, scope_id: scope.id, group_by: by, group_key: l.group, ...figures })
        .onConflict((oc) => oc.columns(['scope', 'scope_id', 'group_by', 'group_key']).doUpdateSet(figures))
        .execute();
    }
  });
}

/** The stored results of a scope and split, with when they were computed. */
export async function readStoredResults(
  db: Executor,
  scope: { kind: 'campaign' | 'quarter'; id: string },
  by: ResultGroup,
): Promise<(ResultLine & { computedAt: string })[]> {
  const rows = await db
    .selectFrom('results')
    .selectAll()
    .where('scope', '=', scope.kind)
    .where('scope_id', '=', scope.id)
    .where('group_by', '=', by)
    .orderBy('group_label')
    .execute();
  return rows.map((r) => ({
    group: r.group_key,
    label: r.group_label,
    delivered: r.delivered,
    responses: r.responses,
    promoters: r.promoters,
    passives: r.passives,
    detractors: r.detractors,
    nps: r.nps,
    responseRate: r.response_rate,
    marginOfError: r.margin_of_error,
    computedAt: r.computed_at,
  }));
}
