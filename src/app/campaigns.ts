/** Campaign use cases: create, start, launch (audience and deliveries), and the quarterly launch. */
import { listAudienceCandidates } from '../db/clients-repo.js';
import {
  findCampaign,
  findCampaignByScheduleKey,
  insertCampaign,
  markCampaignSending,
  markCampaignSentIfDone,
  type Campaign,
} from '../db/campaigns-repo.js';
import { insertDeliveries, listUnsentDeliveryIds } from '../db/deliveries-repo.js';
import { isoNow, newId } from '../db/ids.js';
import { exclusionFor, type Audience } from '../domain/eligibility.js';
import { formatQuarter, parseQuarter, quarterOf } from '../domain/quarter.js';
import { AppError } from '../errors.js';
import { enqueueLaunch, enqueueSends } from '../queue/queues.js';
import type { AppContext } from './context.js';

/** What a person (or the scheduler) asks for when creating a campaign. */
export interface NewCampaign {
  quarter: string;
  segment?: 'managed' | 'self_serve' | null;
  accountManagerEmail?: string | null;
  /** When to send; absent means "when someone starts it". */
  sendAt?: Date | null;
  createdBy?: string | null;
}

/** Creates a campaign; with `sendAt` it is scheduled and its launch job is queued for that moment. */
export async function createCampaign(ctx: AppContext, input: NewCampaign, scheduleKey: string | null = null): Promise<Campaign> {
  const quarter = parseQuarter(input.quarter);
  if (!quarter) throw new AppError('InvalidInput', `quarter "${input.quarter}" should look like 2026-Q4`);
  if (input.sendAt && Number.isNaN(input.sendAt.getTime())) throw new AppError('InvalidInput', 'the send time is not a valid date');
  const now = ctx.now();
  const campaign: Campaign = {
    id: newId(),
    quarter: formatQuarter(quarter),
    segment: input.segment ?? null,
    accountManagerEmail: input.accountManagerEmail?.toLowerCase() ?? null,
    status: input.sendAt ? 'scheduled' : 'draft',
    sendAt: input.sendAt ? isoNow(input.sendAt) : null,
    closesAt: null,
    scheduleKey,
    createdBy: input.createdBy ?? null,
    createdAt: isoNow(now),
    startedAt: null,
    finishedAt: null,
  };
  const inserted = await insertCampaign(ctx.db.kysely, campaign);
  if (!inserted && scheduleKey) {
    const existing = await findCampaignByScheduleKey(ctx.db.kysely, scheduleKey);
    if (existing) return existing;
  }
  if (input.sendAt) await enqueueLaunch(ctx.queues, campaign.id, input.sendAt.getTime() - now.getTime());
  return campaign;
}

/** Starts a draft or scheduled campaign now. */
export async function startCampaign(ctx: AppContext, campaignId: string): Promise<Campaign> {
  const campaign = await findCampaign(ctx.db.kysely, campaignId);
  if (!campaign) throw new AppError('CampaignNotFound', `no campaign with id ${campaignId}`);
  if (campaign.status !== 'draft' && campaign.status !== 'scheduled') {
    throw new AppError('CampaignAlreadyStarted', `campaign ${campaignId} is already ${campaign.status}`);
  }
  if (campaign.status === 'scheduled') await ctx.queues.campaigns.remove(`launch-${campaignId}`).catch(() => 0);
  await enqueueLaunch(ctx.queues, campaignId);
  return campaign;
}

/** What a launch did. */
export interface LaunchOutcome {
  campaignId: string;
  deliveries: number;
  queued: number;
}

/**
 * Picks the audience, creates one delivery per eligible contact and queues one send job each.
 * Safe to run twice: deliveries are unique per (campaign, contact) and send jobs per delivery.
 */
export async function launchCampaign(ctx: AppContext, campaignId: string): Promise<LaunchOutcome> {
  const campaign = await findCampaign(ctx.db.kysely, campaignId);
  if (!campaign) throw new AppError('CampaignNotFound', `no campaign with id ${campaignId}`);
  if (campaign.status === 'closed') throw new AppError('SurveyClosed', `campaign ${campaignId} is closed`);
  const now = ctx.now();
  const closesAt = new Date(now.getTime() + ctx.config.surveyOpenDays * 86_400_000);
  await markCampaignSending(ctx.db.kysely, campaignId, isoNow(now), isoNow(closesAt));

  const audience: Audience = { segment: campaign.segment, accountManagerEmail: campaign.accountManagerEmail };
  const candidates = await listAudienceCandidates(ctx.db.kysely);
  const eligible = candidates.filter((c) => exclusionFor(c, audience) === null);
  const host = new URL(ctx.config.publicUrl).hostname || 'localhost';
  await ctx.db.kysely.transaction().execute((trx) =>
    insertDeliveries(
      trx,
      eligible.map((c) => {
        const id = newId();
        return { id, campaignId, contactId: c.contactId, messageId: `<nps.${id}@${host}>` };
      }),
      isoNow(now),
    ),
  );
  const unsent = await listUnsentDeliveryIds(ctx.db.kysely, campaignId);
  await enqueueSends(ctx.queues, unsent, ctx.sendRetry);
  // A campaign whose audience is empty (or already fully sent) is done at once.
  await markCampaignSentIfDone(ctx.db.kysely, campaignId, isoNow(now));
  return { campaignId, deliveries: eligible.length, queued: unsent.length };
}

/** The quarterly scheduler's job: create this quarter's managed-services campaign once, and launch it. */
export async function launchQuarter(ctx: AppContext): Promise<LaunchOutcome> {
  const quarter = formatQuarter(quarterOf(ctx.now(), ctx.config.scheduleTimeZone));
  const campaign = await createCampaign(ctx, { quarter, segment: 'managed', createdBy: 'scheduler' }, `quarterly-${quarter}`);
  return launchCampaign(ctx, campaign.id);
}
