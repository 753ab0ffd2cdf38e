/** Sends one delivery's survey email: the work behind each send job. */
import { markCampaignSentIfDone } from '../db/campaigns-repo.js';
import { claimDelivery, findDeliveryDetails, markAbandonedDeliveryFailed, markDeliveryFailed, markDeliverySent, markDeliverySuppressed, surveyedByAnotherCampaign } from '../db/deliveries-repo.js';
import { isoNow } from '../db/ids.js';
import { MailError, type Mailer } from '../mail/mailer.js';
import { renderSurveyMessage } from '../mail/survey-message.js';
import type { EmailTemplate } from '../mail/templates.js';
import { sendJobRound } from '../queue/names.js';
import type { AppContext } from './context.js';
import { surveyLinks } from './links.js';

/** The mail side a send needs on top of the app context. */
export interface MailContext {
  mailer: Mailer;
  surveyTemplate: EmailTemplate;
}

export type SendOutcome = 'sent' | 'already_sent' | 'in_progress' | 'suppressed' | 'missing' | 'campaign_closed';

/**
 * Records a send job that ended without sending (its last attempt failed, or its worker died
 * twice), so the delivery shows as failed and can be resent instead of waiting for ever.
 */
export async function settleFailedSend(ctx: Pick<AppContext, 'db' | 'now'>, deliveryId: string, jobId: string, reason: string): Promise<void> {
  const delivery = await findDeliveryDetails(ctx.db.kysely, deliveryId);
  if (!delivery) return;
  if (await markAbandonedDeliveryFailed(ctx.db.kysely, deliveryId, { id: jobId, round: sendJobRound(jobId, deliveryId) }, reason)) {
    await markCampaignSentIfDone(ctx.db.kysely, delivery.campaignId, isoNow(ctx.now()));
  }
}

/** A send that failed and should not be retried. */
export class PermanentSendError extends Error {}

/**
 * Sends one survey email if the delivery still needs it. Re-running it after success does
 * nothing; a transient failure is rethrown for the queue to retry, a permanent one as
 * PermanentSendError after marking the delivery failed.
 */
export async function sendSurvey(ctx: AppContext & MailContext, deliveryId: string, jobId: string, finalAttempt: boolean): Promise<SendOutcome> {
  const db = ctx.db.kysely;
  const delivery = await findDeliveryDetails(db, deliveryId);
  if (!delivery) return 'missing';
  if (delivery.status === 'sent' || delivery.status === 'suppressed') return 'already_sent';
  if (delivery.campaignStatus === 'closed' || (delivery.closesAt !== null && delivery.closesAt <= isoNow(ctx.now()))) {
    // Its links would already be dead.
    await markDeliverySuppressed(db, deliveryId, 'campaign closed before sending');
    await markCampaignSentIfDone(db, delivery.campaignId, isoNow(ctx.now()));
    return 'campaign_closed';
  }
  if (delivery.unsubscribedAt || delivery.bouncedAt) {
    await markDeliverySuppressed(db, deliveryId, delivery.unsubscribedAt ? 'unsubscribed' : 'bounced');
    await markCampaignSentIfDone(db, delivery.campaignId, isoNow(ctx.now()));
    return 'suppressed';
  }
  if (!(await claimDelivery(db, deliveryId, jobId))) return 'in_progress';
  if (await surveyedByAnotherCampaign(db, { id: deliveryId, contactId: delivery.contactId, campaignId: delivery.campaignId, quarter: delivery.quarter })) {
    await markDeliverySuppressed(db, deliveryId, 'surveyed this quarter by another campaign');
    await markCampaignSentIfDone(db, delivery.campaignId, isoNow(ctx.now()));
    return 'suppressed';
  }

  const closesAt = new Date(delivery.closesAt ?? ctx.now().getTime() + ctx.config.surveyOpenDays * 86_400_000);
  const links = surveyLinks(ctx.config.publicUrl, ctx.keyring, delivery.id, closesAt);
  const message = renderSurveyMessage(ctx.surveyTemplate, { mailFrom: ctx.config.mailFrom, company: ctx.config.companyName }, {
    email: delivery.email,
    name: delivery.contactName,
    accountName: delivery.accountName,
    accountManagerName: delivery.accountManagerName,
    messageId: delivery.messageId,
    ...links,
  });
  try {
    await ctx.mailer.send(message);
  } catch (error) {
    const permanent = error instanceof MailError && error.permanent;
    const text = error instanceof Error ? error.message : String(error);
    await markDeliveryFailed(db, deliveryId, text, permanent || finalAttempt);
    if (permanent || finalAttempt) await markCampaignSentIfDone(db, delivery.campaignId, isoNow(ctx.now()));
    if (permanent) throw new PermanentSendError(text);
    throw error;
  }
  const now = isoNow(ctx.now());
  await markDeliverySent(db, deliveryId, delivery.contactId, now);
  await markCampaignSentIfDone(db, delivery.campaignId, now);
  return 'sent';
}
