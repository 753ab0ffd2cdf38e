/** Survey responses and the link evidence behind them. */
import type { Db } from './connect.js';
import type { Executor } from './executor.js';
import { newId } from './ids.js';

/** What recording a score tells the caller. */
export interface RecordedScore {
  responseId: string;
  campaignId: string;
}

/** Records (or changes) the score of a delivery; undefined when the delivery is unknown or its campaign closed. */
export type RecordScore = (deliveryId: string, score: number, now: string) => Promise<RecordedScore | undefined>;

// One statement, prepared once: insert the response, or change the score of the existing one.
// The campaign must be open; the latest answer wins and a suspected bot answer becomes confirmed
// by a person's POST.
const RECORD_SCORE_SQL = `
insert into responses (id, delivery_id, campaign_id, contact_id, account_id, channel, score, state, created_at, updated_at)
select ?, d.id, d.campaign_id, d.contact_id, c.account_id, 'email', ?, 'confirmed', ?, ?
  from deliveries d
  join contacts c on c.id = d.contact_id
  join campaigns k on k.id = d.campaign_id
 where d.id = ? and k.status in ('sending', 'sent') and (k.closes_at is null or k.closes_at > ?)
on conflict (delivery_id) do update set score = excluded.score, state = 'confirmed', updated_at = excluded.updated_at
returning id, campaign_id`;

/** Prepares the score upsert once; the web app keeps the returned function for its hot path. */
export function prepareRecordScore(db: Db): RecordScore {
  const statement = db.prepare<{ id: string; campaign_id: string }>('record_score', RECORD_SCORE_SQL);
  return async (deliveryId, score, now) => {
    const [row] = await statement([newId(), score, now, now, deliveryId, now]);
    return row && { responseId: row.id, campaignId: row.campaign_id };
  };
}

/** The follow-up answers; null clears one. */
export interface FollowUpAnswers {
  reason: string | null;
  wentWell: string | null;
  toImprove: string | null;
}

/** Saves the answers (and the score, which the form may change) on the delivery's response. */
export async function saveFollowUp(db: Executor, deliveryId: string, answers: FollowUpAnswers, now: string): Promise<boolean> {
  const result = await db
    .updateTable('responses')
    .set({ reason: answers.reason, went_well: answers.wentWell, to_improve: answers.toImprove, updated_at: now })
    .where('delivery_id', '=', deliveryId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A response as the follow-up page shows it. */
export interface StoredResponse {
  id: string;
  campaignId: string;
  score: number;
  reason: string | null;
  wentWell: string | null;
  toImprove: string | null;
  state: string;
  channel: string;
  updatedAt: string;
}

/** The response to a delivery, if the person answered. */
export async function findResponseByDelivery(db: Executor, deliveryId: string): Promise<StoredResponse | undefined> {
  const row = await db
    .selectFrom('responses')
    .select(['id', 'campaign_id', 'score', 'reason', 'went_well', 'to_improve', 'state', 'channel', 'updated_at'])
    .where('delivery_id', '=', deliveryId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      campaignId: row.campaign_id,
      score: row.score,
      reason: row.reason,
      wentWell: row.went_well,
      toImprove: row.to_improve,
      state: row.state,
      channel: row.channel,
      updatedAt: row.updated_at,
    }
  );
}

/** What a survey link request looked like: the evidence scanner detection works from. */
export interface LinkEvent {
  deliveryId: string;
  method: string;
  score: number | null;
  at: string;
  network: string | null;
  userAgent: string | null;
}

/** Logs one request on a survey link. */
export type InsertLinkEvent = (event: LinkEvent) => Promise<void>;

/** Prepares the link-event insert once: every survey page view and score POST writes one. */
export function prepareInsertLinkEvent(db: Db): InsertLinkEvent {
  const statement = db.prepare<never>(
    'insert_link_event',
    'insert into link_events (id, delivery_id, method, score, at, network, user_agent) values (?, ?, ?, ?, ?, ?, ?)',
  );
  return async (e) => {
    await statement([newId(), e.deliveryId, e.method, e.score, e.at, e.network, e.userAgent?.slice(0, 500) ?? null]);
  };
}

/** Counts the different scores one sender (network and user agent) POSTed for a delivery since a moment: the burst evidence. */
export type CountRecentScores = (deliveryId: string, since: string, network: string | null, userAgent: string | null) => Promise<number>;

/** Prepares the burst count once (it runs on every score POST; link_events is indexed by delivery and time). */
export function prepareCountRecentScores(db: Db): CountRecentScores {
  const statement = db.prepare<{ n: number }>(
    'count_recent_scores',
    // coalesce(...) = coalesce(...): a null-safe comparison that reads the same on SQLite and PostgreSQL.
    `select count(distinct score) as n from link_events
      where delivery_id = ? and method = 'POST' and at >= ? and score is not null
        and coalesce(network, '') = coalesce(?, '') and coalesce(user_agent, '') = coalesce(?, '')`,
  );
  return async (deliveryId, since, network, userAgent) => Number((await statement([deliveryId, since, network, userAgent?.slice(0, 500) ?? null]))[0]?.n ?? 0);
}

/** Marks the response to a delivery as a suspected scanner's, which results leave out. */
export async function markResponseSuspected(db: Executor, deliveryId: string, now: string): Promise<void> {
  await db.updateTable('responses').set({ state: 'suspected_bot', updated_at: now }).where('delivery_id', '=', deliveryId).execute();
}
