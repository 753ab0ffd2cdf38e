/** campaigns queue processor: launch one campaign, or this quarter's scheduled one. */
import { UnrecoverableError, type Job } from 'bullmq';
import { launchCampaign, launchQuarter, type LaunchOutcome } from '../src/app/campaigns.js';
import type { AppContext } from '../src/app/context.js';
import { AppError } from '../src/errors.js';

/**
 * When the scheduler meant a run to happen. BullMQ keeps it in `opts.prevMillis` (a delayed job's
 * `delay` is reset to 0 when it is promoted, and `timestamp` is when the job was created, at the
 * previous run). A minute is added: the worker's clock may be a moment behind the scheduler's.
 */
export function scheduledTimeOf(job: Pick<Job, 'opts' | 'processedOn' | 'timestamp'>): Date {
  return new Date((job.opts.prevMillis ?? job.processedOn ?? Date.now()) + 60_000);
}

/** Builds the processor around the process's context. */
export function launchProcessor(ctx: AppContext) {
  return async (job: Job<{ campaignId?: string }>): Promise<LaunchOutcome> => {
    try {
      if (job.name === 'launch-quarter') return await launchQuarter(ctx, scheduledTimeOf(job));
      if (!job.data.campaignId) throw new UnrecoverableError('launch job without a campaignId');
      return await launchCampaign(ctx, job.data.campaignId);
    } catch (error) {
      // A missing or closed campaign will not appear by retrying.
      if (error instanceof AppError) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
