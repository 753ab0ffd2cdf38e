/** Campaigns: one survey wave, its audience and its life from draft to closed. */
import type { CampaignsTable, CampaignStatus } from './database.js';
import type { Executor } from './executor.js';

/** A campaign as the rest of the code sees one. */
export interface Campaign {
  id: string;
  quarter: string;
  segment: CampaignsTable['segment'];
  accountManagerEmail: string | null;
  status: CampaignStatus;
  sendAt: string | null;
  closesAt: string | null;
  scheduleKey: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function toCampaign(row: CampaignsTable): Campaign {
  return {
    id: row.id,
    quarter: row.quarter,
    segment: row.segment,
    accountManagerEmail: row.account_manager_email,
    status: row.status,
    sendAt: row.send_at,
    closesAt: row.closes_at,
    scheduleKey: row.schedule_key,
    createdBy: row.created_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** Stores a new campaign. With a schedule key, an existing campaign of that key wins (returns false). */
export async function insertCampaign(db: Executor, c: Campaign): Promise<boolean> {
  const result = await db
    .insertInto('campaigns')
    .values({
      id: c.id,
      quarter: c.quarter,
      segment: c.segment,
      account_manager_email: c.accountManagerEmail,
      status: c.status,
      send_at: c.sendAt,
      closes_at: c.closesAt,
      schedule_key: c.scheduleKey,
      created_by: c.createdBy,
      created_at: c.createdAt,
      started_at: c.startedAt,
      finished_at: c.finishedAt,
    })
    .onConflict((oc) => oc.column('schedule_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** One campaign by id. */
export async function findCampaign(db: Executor, id: string): Promise<Campaign | undefined> {
  const row = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCampaign(row);
}

/** The campaign the scheduler made for a key like `quarterly-2026-Q4`. */
export async function findCampaignByScheduleKey(db: Executor, key: string): Promise<Campaign | undefined> {
  const row = await db.selectFrom('campaigns').selectAll().where('schedule_key', '=', key).executeTakeFirst();
  return row && toCampaign(row);
}

/**
 * Moves a draft or scheduled campaign to `sending`, fixing its close date. Returns false when it
 * was already started (another process got there first), so launch can carry on idempotently.
 */
export async function markCampaignSending(db: Executor, id: string, now: string, closesAt: string): Promise<boolean> {
  const result = await db
    .updateTable('campaigns')
    .set((eb) => ({ status: 'sending', started_at: now, closes_at: eb.fn.coalesce('closes_at', eb.val(closesAt)) }))
    .where('id', '=', id)
    .where('status', 'in', ['draft', 'scheduled'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Moves a sent campaign back to `sending` while failed deliveries are sent again. */
export async function markCampaignResending(db: Executor, id: string): Promise<void> {
  await db.updateTable('campaigns').set({ status: 'sending', finished_at: null }).where('id', '=', id).where('status', '=', 'sent').execute();
}

/** Marks a sending campaign `sent` once none of its deliveries is still waiting to go. */
export async function markCampaignSentIfDone(db: Executor, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('campaigns')
    .set({ status: 'sent', finished_at: now })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('deliveries').select('id').where('campaign_id', '=', id).where('status', 'in', ['pending', 'sending']),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A campaign with its delivery and response counts, for `campaign list`. */
export interface CampaignSummary extends Campaign {
  deliveries: number;
  sent: number;
  failed: number;
  responded: number;
}

/** Every campaign, newest first, with counts. */
export async function listCampaignSummaries(db: Executor): Promise<CampaignSummary[]> {
  const rows = await db
    .selectFrom('campaigns as c')
    .selectAll('c')
    .select((eb) => [
      eb.selectFrom('deliveries as d').whereRef('d.campaign_id', '=', 'c.id').select((e) => e.fn.countAll<number>().as('n')).as('deliveries'),
      eb.selectFrom('deliveries as d').whereRef('d.campaign_id', '=', 'c.id').where('d.status', '=', 'sent').select((e) => e.fn.countAll<number>().as('n')).as('sent'),
      eb.selectFrom('deliveries as d').whereRef('d.campaign_id', '=', 'c.id').where('d.status', '=', 'failed').select((e) => e.fn.countAll<number>().as('n')).as('failed'),
      eb.selectFrom('responses as r').whereRef('r.campaign_id', '=', 'c.id').select((e) => e.fn.countAll<number>().as('n')).as('responded'),
    ])
    .orderBy('c.created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    ...toCampaign(r),
    deliveries: Number(r.deliveries ?? 0),
    sent: Number(r.sent ?? 0),
    failed: Number(r.failed ?? 0),
    responded: Number(r.responded ?? 0),
  }));
}

/** Ids of the campaigns of a quarter. */
export async function listCampaignIdsOfQuarter(db: Executor, quarter: string): Promise<string[]> {
  return (await db.selectFrom('campaigns').select('id').where('quarter', '=', quarter).execute()).map((r) => r.id);
}
