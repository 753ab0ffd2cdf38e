/** Accounts and contacts: the client list. */
import type { ClientRow } from '../domain/client-import.js';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import type { Executor } from './executor.js';
import { newId } from './ids.js';

/** How an import changed the list. */
export interface ImportCounts {
  created: number;
  updated: number;
  accountsCreated: number;
}

/**
 * Upserts contacts by email (and accounts by name) in one transaction, so a failure leaves the
 * list as it was. Empty cells keep the stored value rather than erasing it.
 */
export async function importClients(db: Kysely<Database>, rows: ClientRow[], now: string, onProgress: (done: number) => void = () => {}): Promise<ImportCounts> {
  return db.transaction().execute(async (trx) => {
    const counts: ImportCounts = { created: 0, updated: 0, accountsCreated: 0 };
    const accountIds = new Map<string, string>();
    for (const [index, row] of rows.entries()) {
      if (index > 0 && index % 1000 === 0) onProgress(index);
      const accountId = await upsertAccount(trx, row, now, accountIds, counts);

      const existing = await trx.selectFrom('contacts').select(['id']).where('email', '=', row.email).executeTakeFirst();
      if (existing) {
        await trx
          .updateTable('contacts')
          .set({
            account_id: accountId,
            ...(row.name ? { name: row.name } : {}),
            ...(row.locale ? { locale: row.locale } : {}),
            ...(row.timeZone ? { time_zone: row.timeZone } : {}),
            updated_at: now,
          })
          .where('id', '=', existing.id)
          .execute();
        counts.updated++;
      } else {
        await trx
          .insertInto('contacts')
          .values({
            id: newId(),
            account_id: accountId,
            email: row.email,
            name: row.name,
            locale: row.locale,
            time_zone: row.timeZone,
            unsubscribed_at: null,
            bounced_at: null,
            last_surveyed_at: null,
            first_order_at: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        counts.created++;
      }
    }
    return counts;
  });
}

async function upsertAccount(
  trx: Executor,
  row: ClientRow,
  now: string,
  known: Map<string, string>,
  counts: ImportCounts,
): Promise<string> {
  const accountId = known.get(row.account) ?? (await trx.selectFrom('accounts').select(['id']).where('name', '=', row.account).executeTakeFirst())?.id;
  if (accountId === undefined) {
    const id = newId();
    await trx
      .insertInto('accounts')
      .values({ id, name: row.account, segment: row.segment ?? 'managed', account_manager_email: row.accountManagerEmail, created_at: now, updated_at: now })
      .execute();
    counts.accountsCreated++;
    known.set(row.account, id);
    return id;
  }
  const changes = {
    ...(row.segment ? { segment: row.segment } : {}),
    ...(row.accountManagerEmail ? { account_manager_email: row.accountManagerEmail } : {}),
  };
  if (Object.keys(changes).length > 0) await trx.updateTable('accounts').set({ ...changes, updated_at: now }).where('id', '=', accountId).execute();
  known.set(row.account, accountId);
  return accountId;
}

/** A contact with the account facts that decide whether they are surveyed. */
export interface AudienceCandidate {
  contactId: string;
  segment: 'managed' | 'self_serve';
  accountManagerEmail: string | null;
  unsubscribedAt: string | null;
  bouncedAt: string | null;
  surveyedThisQuarter: boolean;
}

/**
 * Every contact with their account's segment and manager, and whether another campaign of the
 * same quarter already emailed them; eligibility is decided in the domain.
 */
export async function listAudienceCandidates(db: Executor, quarter: string, campaignId: string): Promise<AudienceCandidate[]> {
  const rows = await db
    .selectFrom('contacts as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select((eb) => [
      'c.id',
      'a.segment',
      'a.account_manager_email',
      'c.unsubscribed_at',
      'c.bounced_at',
      eb
        .exists(
          eb
            .selectFrom('deliveries as d')
            .innerJoin('campaigns as k', 'k.id', 'd.campaign_id')
            .select('d.id')
            .whereRef('d.contact_id', '=', 'c.id')
            .where('k.quarter', '=', quarter)
            .where('k.id', '<>', campaignId)
            .where('d.status', 'in', ['pending', 'sending', 'sent']),
        )
        .as('surveyed'),
    ])
    .orderBy('c.email')
    .execute();
  return rows.map((r) => ({
    contactId: r.id,
    segment: r.segment,
    accountManagerEmail: r.account_manager_email,
    unsubscribedAt: r.unsubscribed_at,
    bouncedAt: r.bounced_at,
    surveyedThisQuarter: Boolean(r.surveyed),
  }));
}

/** Marks a contact as unsubscribed (once; the first time is kept). Returns whether they exist. */
export async function unsubscribeContact(db: Executor, contactId: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('contacts')
    .set((eb) => ({ unsubscribed_at: eb.fn.coalesce('unsubscribed_at', eb.val(now)), updated_at: now }))
    .where('id', '=', contactId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Counts contacts and accounts, for progress messages and the dashboard. */
export async function countClients(db: Executor): Promise<{ contacts: number; accounts: number }> {
  const contacts = await db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const accounts = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { contacts: Number(contacts.n), accounts: Number(accounts.n) };
}
