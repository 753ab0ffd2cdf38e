/** results queue processor: recompute one campaign's figures. */
import type { Job } from 'bullmq';
import type { AppContext } from '../src/app/context.js';
import { refreshCampaignResults } from '../src/app/results.js';

/** Builds the processor around the process's context. */
export function computeResultsProcessor(ctx: AppContext) {
  return async (job: Job<{ campaignId: string }>): Promise<{ responses: number; nps: number | null }> => {
    const [line] = await refreshCampaignResults(ctx, job.data.campaignId);
    return { responses: line?.responses ?? 0, nps: line?.nps ?? null };
  };
}
