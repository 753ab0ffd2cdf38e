/** The first schema: clients, staff, campaigns, deliveries, responses, link evidence, results, sessions. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('staff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'account_manager')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('segment', 'text', (c) => c.notNull().defaultTo('managed').check(sql`segment in ('managed', 'self_serve')`))
    .addColumn('account_manager_email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('locale', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('unsubscribed_at', 'text')
    .addColumn('bounced_at', 'text')
    .addColumn('last_surveyed_at', 'text')
    .addColumn('first_order_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_account').on('contacts').column('account_id').execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('quarter', 'text', (c) => c.notNull())
    .addColumn('segment', 'text')
    .addColumn('account_manager_email', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'scheduled', 'sending', 'sent', 'closed')`))
    .addColumn('send_at', 'text')
    .addColumn('closes_at', 'text')
    .addColumn('schedule_key', 'text', (c) => c.unique())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('campaigns_quarter').on('campaigns').column('quarter').execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'sending', 'sent', 'failed', 'suppressed')`))
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('send_job', 'text')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('deliveries_campaign_contact', ['campaign_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('deliveries_campaign_status').on('deliveries').columns(['campaign_id', 'status']).execute();

  await db.schema
    .createTable('responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.unique().references('deliveries.id'))
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'in_app')`))
    .addColumn('score', 'integer', (c) => c.notNull().check(sql`score between 0 and 10`))
    .addColumn('reason', 'text')
    .addColumn('went_well', 'text')
    .addColumn('to_improve', 'text')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('provisional', 'confirmed', 'suspected_bot')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Results aggregate by campaign and score; without this the planner walks the unique index.
  await db.schema.createIndex('responses_campaign_score').on('responses').columns(['campaign_id', 'state', 'score']).execute();

  await db.schema
    .createTable('link_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('score', 'integer')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('network', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('link_events_delivery').on('link_events').columns(['delivery_id', 'at']).execute();

  await db.schema
    .createTable('results')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('group_by', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('group_label', 'text', (c) => c.notNull())
    .addColumn('delivered', 'integer', (c) => c.notNull())
    .addColumn('responses', 'integer', (c) => c.notNull())
    .addColumn('promoters', 'integer', (c) => c.notNull())
    .addColumn('passives', 'integer', (c) => c.notNull())
    .addColumn('detractors', 'integer', (c) => c.notNull())
    .addColumn('nps', 'real')
    .addColumn('response_rate', 'real')
    .addColumn('margin_of_error', 'real')
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('results_pk', ['scope', 'scope_id', 'group_by', 'group_key'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sessions', 'results', 'link_events', 'responses', 'deliveries', 'campaigns', 'contacts', 'accounts', 'staff']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
