/** A migrated SQLite database with one open campaign of `count` sent deliveries, for the benchmarks. */
import { join } from 'node:path';
import { connectDatabase, type Db } from '../src/db/connect.js';
import { isoNow, newId } from '../src/db/ids.js';
import { migrateToLatest } from '../src/db/migrate.js';

/** Opens `dir/bench.db`, migrates it and returns it with the delivery ids, in one transaction. */
export async function seedSentDeliveries(dir: string, count: number): Promise<{ db: Db; deliveries: string[] }> {
  const db = await connectDatabase({ dialect: 'sqlite', path: join(dir, 'bench.db') });
  await migrateToLatest(db);
  const now = isoNow();
  const deliveries: string[] = [];
  await db.kysely.transaction().execute(async (trx) => {
    await trx.insertInto('accounts').values({ id: 'acc', name: 'Bench Ltd', segment: 'managed', account_manager_email: null, created_at: now, updated_at: now }).execute();
    await trx.insertInto('campaigns').values({ id: 'cmp', quarter: '2026-Q4', segment: null, account_manager_email: null, status: 'sent', send_at: null, closes_at: '2099-01-01T00:00:00.000Z', schedule_key: null, created_by: null, created_at: now, started_at: now, finished_at: null }).execute();
    for (let i = 0; i < count; i++) {
      const contact = newId();
      const delivery = newId();
      deliveries.push(delivery);
      await trx.insertInto('contacts').values({ id: contact, account_id: 'acc', email: `p${i}@bench.test`, name: null, locale: null, time_zone: null, unsubscribed_at: null, bounced_at: null, last_surveyed_at: null, first_order_at: null, created_at: now, updated_at: now }).execute();
      await trx.insertInto('deliveries').values({ id: delivery, campaign_id: 'cmp', contact_id: contact, status: 'sent', message_id: `<${delivery}@b>`, send_job: null, last_error: null, sent_at: now, reminded_at: null, created_at: now }).execute();
    }
  });
  return { db, deliveries };
}
