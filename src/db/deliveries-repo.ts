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
  // send_job is cleared so a late failure report from the old job cannot touch the new attempt.
  const result = await db.updateTable('deliveries').set({ status: 'pending', send_job: null }).where('campaign_id', '=', campaignId).where('status', '=', 'failed').executeTakeFirst();
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
 * Marks failed a delivery that `jobId` held (or that no job ever claimed) and left unsent. A delivery
 * another job has taken since (a resend) is left alone.
 */
export async function markAbandonedDeliveryFailed(db: Executor, id: string, jobId: string, error: string): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'failed', last_error: error.slice(0, 1000) })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'sending'])
    .where((eb) => eb.or([eb('send_job', '=', jobId), eb.and([eb('send_job', 'is', null), eb('attempts', '=', 0)])]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks a delivery that must not be sent (the contact unsubscribed or bounced since launch). */
export async function markDeliverySuppressed(db: Executor, id: string, reason: string): Promise<void> {
  await db.updateTable('deliveries').set({ status: 'suppressed', last_error: reason }).where('id', '=', id).execute();
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
