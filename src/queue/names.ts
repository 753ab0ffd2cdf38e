/** Queue names, job names and payloads. Payloads carry ids only: the database holds the records. */

export const QUEUE = {
  campaigns: 'campaigns',
  mail: 'mail',
  results: 'results',
} as const;

/** campaigns queue: start one campaign, or the scheduler's quarterly launch. */
export type CampaignJob =
  | { name: 'launch'; data: { campaignId: string } }
  | { name: 'launch-quarter'; data: Record<string, never> };

/** mail queue: send one survey email. */
export type MailJob = { name: 'send-survey'; data: { deliveryId: string } };

/** results queue: recompute one campaign's figures. */
export type ResultsJob = { name: 'compute'; data: { campaignId: string } };

/** The quarterly job scheduler's id: upserting under one id is what keeps restarts from duplicating it. */
export const QUARTERLY_SCHEDULER_ID = 'quarterly-launch';

/** A send job's id: the delivery and its attempt count when queued, so each resend round is a new job. */
export function sendJobId(deliveryId: string, attempts: number): string {
  return `send-${deliveryId}-${attempts}`;
}

/** The attempt count a send job was queued at, or null for an id of another shape. */
export function sendJobRound(jobId: string, deliveryId: string): number | null {
  const prefix = `send-${deliveryId}-`;
  const round = jobId.startsWith(prefix) ? Number(jobId.slice(prefix.length)) : Number.NaN;
  return Number.isInteger(round) ? round : null;
}
