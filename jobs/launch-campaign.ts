/** campaigns queue processor: launch one campaign, or this quarter's scheduled one. */
import { UnrecoverableError, type Job } from 'bullmq';
import { launchCampaign, launchQuarter, type LaunchOutcome } from '../src/app/campaigns.js';
import type { AppContext } from '../src/app/context.js';
import { AppError } from '../src/errors.js';

/** Builds the processor around the process's context. */
export function launchProcessor(ctx: AppContext) {
  return async (job: Job<{ campaignId?: string }>): Promise<LaunchOutcome> => {
    try {
      if (job.name === 'launch-quarter') {
        // The time the scheduler meant, plus a minute: the worker's clock may be a moment behind.
        return await launchQuarter(ctx, new Date(job.timestamp + (job.delay ?? 0) + 60_000));
      }
      if (!job.data.campaignId) throw new UnrecoverableError('launch job without a campaignId');
      return await launchCampaign(ctx, job.data.campaignId);
    } catch (error) {
      // A missing or closed campaign will not appear by retrying.
      if (error instanceof AppError) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
