/** Deliveries: one survey email per (campaign, contact), with its send state. */
import type { DeliveryStatus } from './database.js';
import type { Executor } from './executor.js';

/** Creates the deliveries that do not exist yet; the unique (campaign, contact) pair makes this idempotent. */
export async function insertDeliveries(
  db: Executor,
  deliveries: { id: string; campaignId: string; contactId: string; messageId: string }[],
  now: string,
): Promise<void> {
  // Chunks keep each statement under SQLite's and PostgreSQL's bound-parameter limits.
  for (let i = 0; i < deliveries.length; i += 500) {
    const chunk = deliveries.slice(i, i + 500);
    await db
      .insertInto('deliveries')
      .values(chunk.map((d) => ({ id: d.id, campaign_id: d.campaignId, contact_id: d.contactId, status: 'pending' as const, message_id: d.messageId, send_job: null, last_error: null, sent_at: null, reminded_at: null, created_at: now })))
      .onConflict((oc) => oc.columns(['campaign_id', 'contact_id']).doNothing())
      .execute();
  }
}

/** The deliveries of a campaign waiting to be sent, with their attempt counts (part of the send job's id). */
export async function listPendingDeliveries(db: Executor, campaignId: string): Promise<{ id: string; attempts: number }[]> {
  return db.selectFrom('deliveries').select(['id', 'attempts']).where('campaign_id', '=', campaignId).where('status', '=', 'pending').orderBy('id').execute();
}

/** Puts a campaign's failed deliveries back in line for sending; returns how many. */
export async function requeueFailedDeliveries(db: Executor, campaignId: string): Promise<number> {
  // send_job is cleared and the attempt count moved on, so the new send job gets a new id
  // (send-<delivery>-<attempts>) and a late report from an old job matches neither.
  const result = await db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'pending', send_job: null, attempts: eb('attempts', '+', 1) }))
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One delivery with what the email and the survey pages need: contact, account, campaign, manager. */
export interface DeliveryDetails {
  id: string;
  status: DeliveryStatus;
  messageId: string;
  attempts: number;
  campaignId: string;
  campaignStatus: string;
  closesAt: string | null;
  quarter: string;
  contactId: string;
  email: string;
  contactName: string | null;
  unsubscribedAt: string | null;
  bouncedAt: string | null;
  accountName: string;
  accountManagerEmail: string | null;
  accountManagerName: string | null;
}

/** Reads a delivery with its contact, account, campaign and account manager. */
export async function findDeliveryDetails(db: Executor, id: string): Promise<DeliveryDetails | undefined> {
  const row = await db
    .selectFrom('deliveries as d')
    .innerJoin('contacts as c', 'c.id', 'd.contact_id')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .innerJoin('campaigns as k', 'k.id', 'd.campaign_id')
    .leftJoin('staff as m', 'm.email', 'a.account_manager_email')
    .select([
      'd.id', 'd.status', 'd.message_id', 'd.attempts', 'd.campaign_id', 'k.status as campaign_status', 'k.closes_at', 'k.quarter',
      'c.id as contact_id', 'c.email', 'c.name as contact_name', 'c.unsubscribed_at', 'c.bounced_at',
      'a.name as account_name', 'a.account_manager_email', 'm.name as manager_name',
    ])
    .where('d.id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      status: row.status,
      messageId: row.message_id,
      attempts: row.attempts,
      campaignId: row.campaign_id,
      campaignStatus: row.campaign_status,
      closesAt: row.closes_at,
      quarter: row.quarter,
      contactId: row.contact_id,
      email: row.email,
      contactName: row.contact_name,
      unsubscribedAt: row.unsubscribed_at,
      bouncedAt: row.bounced_at,
      accountName: row.account_name,
      accountManagerEmail: row.account_manager_email,
      accountManagerName: row.manager_name,
    }
  );
}

/**
 * Claims a delivery for one send job and counts the attempt. A delivery in `sending` can be taken
 * again only by the job that holds it (BullMQ re-runs a job whose worker died): the mail may then go
 * twice, with the same Message-ID, rather than never. Another job (a second launch) cannot take it.
 */
export async function claimDelivery(db: Executor, id: string, jobId: string): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'sending', send_job: jobId, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('send_job', '=', jobId)])]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records a send, and the contact's last survey date for throttling. */
export async function markDeliverySent(db: Executor, id: string, contactId: string, now: string): Promise<void> {
  await db.updateTable('deliveries').set({ status: 'sent', sent_at: now, last_error: null }).where('id', '=', id).execute();
  await db.updateTable('contacts').set({ last_surveyed_at: now }).where('id', '=', contactId).execute();
}

/** Records why a send failed; `final` says no retry will follow. A sent delivery is left alone. */
export async function markDeliveryFailed(db: Executor, id: string, error: string, final: boolean): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ status: final ? 'failed' : 'pending', last_error: error.slice(0, 1000) })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'sending'])
    .execute();
}

/**
 * Marks failed a delivery that `jobId` held, or that it was queued for and never claimed, and left
 * unsent. A delivery queued again since (a resend: new attempt count, new job) is left alone.
 */
export async function markAbandonedDeliveryFailed(db: Executor, id: string, job: { id: string; round: number | null }, error: string): Promise<boolean> {
  const { id: jobId, round } = job;
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'failed', last_error: error.slice(0, 1000) })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'sending'])
    .where((eb) =>
      round !== null
        ? eb.or([eb('send_job', '=', jobId), eb.and([eb('send_job', 'is', null), eb('attempts', '=', round)])])
        : eb('send_job', '=', jobId),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * True when another campaign of the same quarter has sent (or is sending, and its delivery id sorts
 * first) this contact a survey: the once-a-quarter rule, checked again at send time because a
 * resend or two launches at once can get past the check at launch.
 */
export async function surveyedByAnotherCampaign(db: Executor, delivery: { id: string; contactId: string; campaignId: string; quarter: string }): Promise<boolean> {
  const row = await db
    .selectFrom('deliveries as d')
    .innerJoin('campaigns as k', 'k.id', 'd.campaign_id')
    .select('d.id')
    .where('d.contact_id', '=', delivery.contactId)
    .where('k.quarter', '=', delivery.quarter)
    .where('d.campaign_id', '<>', delivery.campaignId)
    .where((eb) => eb.or([eb('d.status', '=', 'sent'), eb.and([eb('d.status', '=', 'sending'), eb('d.id', '<', delivery.id)])]))
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks a delivery that must not be sent (the contact unsubscribed or bounced since launch). */
export async function markDeliverySuppressed(db: Executor, id: string, reason: string): Promise<void> {
  await db.updateTable('deliveries').set({ status: 'suppressed', last_error: reason }).where('id', '=', id).where('status', '<>', 'sent').execute();
}

/** The contact and campaign behind a delivery, for the unsubscribe page. */
export async function findDeliveryContact(db: Executor, id: string): Promise<{ contactId: string; email: string; campaignId: string } | undefined> {
  const row = await db
    .selectFrom('deliveries as d')
    .innerJoin('contacts as c', 'c.id', 'd.contact_id')
    .select(['c.id as contact_id', 'c.email', 'd.campaign_id'])
    .where('d.id', '=', id)
    .executeTakeFirst();
  return row && { contactId: row.contact_id, email: row.email, campaignId: row.campaign_id };
}
