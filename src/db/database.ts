/**
 * Table types for Kysely. Times are ISO-8601 UTC strings in both dialects, so a row reads the same
 * from SQLite and PostgreSQL and sorts as text; ids are made by the application (see ids.ts).
 */
import type { Generated } from 'kysely';

export interface StaffTable {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'account_manager';
  password_hash: string;
  created_at: string;
}

export interface AccountsTable {
  id: string;
  name: string;
  segment: 'managed' | 'self_serve';
  account_manager_email: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContactsTable {
  id: string;
  account_id: string;
  email: string;
  name: string | null;
  locale: string | null;
  time_zone: string | null;
  unsubscribed_at: string | null;
  bounced_at: string | null;
  last_surveyed_at: string | null;
  first_order_at: string | null;
  created_at: string;
  updated_at: string;
}

export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'closed';

export interface CampaignsTable {
  id: string;
  quarter: string;
  segment: 'managed' | 'self_serve' | null;
  account_manager_email: string | null;
  status: CampaignStatus;
  send_at: string | null;
  closes_at: string | null;
  /** Set for campaigns the quarterly scheduler starts, so a second run finds the first. */
  schedule_key: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'suppressed';

export interface DeliveriesTable {
  id: string;
  campaign_id: string;
  contact_id: string;
  status: DeliveryStatus;
  message_id: string;
  attempts: Generated<number>;
  /** The send job holding (or last holding) the delivery; only it may take a `sending` one again. */
  send_job: string | null;
  last_error: string | null;
  sent_at: string | null;
  reminded_at: string | null;
  created_at: string;
}

export type ResponseState = 'provisional' | 'confirmed' | 'suspected_bot';

export interface ResponsesTable {
  id: string;
  delivery_id: string | null;
  campaign_id: string;
  contact_id: string;
  account_id: string;
  channel: 'email' | 'in_app';
  score: number;
  reason: string | null;
  went_well: string | null;
  to_improve: string | null;
  state: ResponseState;
  created_at: string;
  updated_at: string;
}

export interface LinkEventsTable {
  id: string;
  delivery_id: string;
  method: string;
  score: number | null;
  at: string;
  network: string | null;
  user_agent: string | null;
}

export interface ResultsTable {
  scope: 'campaign' | 'quarter';
  scope_id: string;
  group_by: string;
  group_key: string;
  group_label: string;
  delivered: number;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
  response_rate: number | null;
  margin_of_error: number | null;
  computed_at: string;
}

export interface SessionsTable {
  id: string;
  staff_id: string;
  created_at: string;
  expires_at: string;
}

export interface Database {
  staff: StaffTable;
  accounts: AccountsTable;
  contacts: ContactsTable;
  campaigns: CampaignsTable;
  deliveries: DeliveriesTable;
  responses: ResponsesTable;
  link_events: LinkEventsTable;
  results: ResultsTable;
  sessions: SessionsTable;
}
