/** Campaign use cases: create, start, launch (audience and deliveries), and the quarterly launch. */
import { listAudienceCandidates } from '../db/clients-repo.js';
import {
  findCampaign,
  findCampaignByScheduleKey,
  insertCampaign,
  markCampaignSending,
  markCampaignResending,
  markCampaignSentIfDone,
  type Campaign,
} from '../db/campaigns-repo.js';
import { insertDeliveries, listPendingDeliveries, requeueFailedDeliveries } from '../db/deliveries-repo.js';
import { isoNow, newId } from '../db/ids.js';
import { exclusionFor, type Audience } from '../domain/eligibility.js';
import { formatQuarter, parseQuarter, quarterOf } from '../domain/quarter.js';
import { AppError } from '../errors.js';
import { enqueueLaunch, enqueueSends, isLaunchRunning } from '../queue/queues.js';
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

/** What starting a campaign did: a first start, or a resend of the deliveries that failed. */
export interface StartOutcome {
  campaign: Campaign;
  resent: number | null;
}

/**
 * Starts a draft or scheduled campaign now. On a campaign already sending or sent it sends again
 * to the deliveries that failed (after the mail server is fixed, say), to any still waiting, and
 * to eligible contacts added since.
 */
export async function startCampaign(ctx: AppContext, campaignId: string): Promise<StartOutcome> {
  const campaign = await findCampaign(ctx.db.kysely, campaignId);
  if (!campaign) throw new AppError('CampaignNotFound', `no campaign with id ${campaignId}`);
  if (isClosed(campaign, ctx.now())) throw new AppError('SurveyClosed', `campaign ${campaignId} is closed`);
  if (await isLaunchRunning(ctx.queues, campaignId)) {
    throw new AppError('CampaignAlreadyStarted', `campaign ${campaignId} is being launched right now; try again when it has finished`);
  }
  if (campaign.status === 'scheduled') await ctx.queues.campaigns.remove(`launch-${campaignId}`).catch(() => 0);
  const resent = campaign.status === 'sending' || campaign.status === 'sent' ? await requeueFailedDeliveries(ctx.db.kysely, campaignId) : null;
  if (resent) await markCampaignResending(ctx.db.kysely, campaignId);
  await enqueueLaunch(ctx.queues, campaignId);
  return { campaign, resent };
}

/** Closed by status or by its close date: no more sends, no more answers. */
function isClosed(campaign: Campaign, now: Date): boolean {
  return campaign.status === 'closed' || (campaign.closesAt !== null && campaign.closesAt <= isoNow(now));
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
  const now = ctx.now();
  if (isClosed(campaign, now)) throw new AppError('SurveyClosed', `campaign ${campaignId} is closed`);
  const closesAt = new Date(now.getTime() + ctx.config.surveyOpenDays * 86_400_000);
  await markCampaignSending(ctx.db.kysely, campaignId, isoNow(now), isoNow(closesAt));

  const audience: Audience = { segment: campaign.segment, accountManagerEmail: campaign.accountManagerEmail };
  const candidates = await listAudienceCandidates(ctx.db.kysely, campaign.quarter, campaignId);
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
  const pending = await listPendingDeliveries(ctx.db.kysely, campaignId);
  await enqueueSends(ctx.queues, pending, ctx.sendRetry);
  // A campaign whose audience is empty (or already fully sent) is done at once.
  await markCampaignSentIfDone(ctx.db.kysely, campaignId, isoNow(now));
  return { campaignId, deliveries: eligible.length, queued: pending.length };
}

/**
 * The quarterly scheduler's job: create the quarter's managed-services campaign once, and launch it.
 * `scheduledFor` is when the scheduler meant it to run (midnight of the quarter's first day), not the
 * worker's clock, which may be a moment behind and name the quarter before.
 */
export async function launchQuarter(ctx: AppContext, scheduledFor: Date): Promise<LaunchOutcome> {
  const quarter = formatQuarter(quarterOf(scheduledFor, ctx.config.scheduleTimeZone));
  const campaign = await createCampaign(ctx, { quarter, segment: 'managed', createdBy: 'scheduler' }, `quarterly-${quarter}`);
  return launchCampaign(ctx, campaign.id);
}
