/** The queues a process adds jobs to, and the few ways it adds them. */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE, sendJobId } from './names.js';

/** Producer side of the three queues. */
export interface Queues {
  readonly prefix: string;
  readonly campaigns: Queue;
  readonly mail: Queue;
  readonly results: Queue;
  close(): Promise<void>;
}

/** Retry policy for sending: transient SMTP trouble heals in minutes, not seconds. */
export interface SendRetryPolicy {
  attempts: number;
  backoffMs: number;
}

export const DEFAULT_SEND_RETRY: SendRetryPolicy = { attempts: 5, backoffMs: 30_000 };

// Keep a bounded history so Redis does not grow with every job ever run.
const KEEP: JobsOptions = { removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } };

/** Opens the queues on one Redis connection under `prefix`. */
export function createQueues(connection: Redis, prefix: string): Queues {
  const options = { connection, prefix, defaultJobOptions: KEEP };
  const campaigns = new Queue(QUEUE.campaigns, options);
  const mail = new Queue(QUEUE.mail, options);
  const results = new Queue(QUEUE.results, options);
  return {
    prefix,
    campaigns,
    mail,
    results,
    async close() {
      await Promise.all([campaigns.close(), mail.close(), results.close()]);
    },
  };
}

/** True while a launch job of the campaign is running (adding another would silently do nothing). */
export async function isLaunchRunning(queues: Queues, campaignId: string): Promise<boolean> {
  const job = await queues.campaigns.getJob(`launch-${campaignId}`);
  return job !== undefined && (await job.isActive());
}

/**
 * Starts a campaign now, or at `delayMs` from now. One job per campaign while it waits; a finished
 * or failed earlier launch job is removed first, so starting again (a resend) really runs again.
 */
export async function enqueueLaunch(queues: Queues, campaignId: string, delayMs = 0): Promise<void> {
  const previous = await queues.campaigns.getJob(`launch-${campaignId}`);
  if (previous && ((await previous.isCompleted()) || (await previous.isFailed()))) await previous.remove();
  await queues.campaigns.add('launch', { campaignId }, { jobId: `launch-${campaignId}`, delay: Math.max(0, delayMs), attempts: 5, backoff: { type: 'exponential', delay: 5_000 } });
}

/**
 * Adds one send job per delivery, in bulk. The job id names the delivery and its attempt count, so
 * a second launch does not double a waiting job, while a resend after failures gets a fresh one.
 */
export async function enqueueSends(queues: Queues, deliveries: { id: string; attempts: number }[], retry: SendRetryPolicy = DEFAULT_SEND_RETRY): Promise<void> {
  for (let i = 0; i < deliveries.length; i += 1000) {
    await queues.mail.addBulk(
      deliveries.slice(i, i + 1000).map(({ id: deliveryId, attempts }) => ({
        name: 'send-survey',
        data: { deliveryId },
        opts: { jobId: sendJobId(deliveryId, attempts), attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs }, ...KEEP },
      })),
    );
  }
}

/**
 * Asks for a campaign's results to be recomputed soon. Debounced: while one compute waits, more
 * requests join it; while one runs, exactly one more is kept to run after it, so the last response
 * is always counted.
 */
export async function enqueueResults(queues: Queues, campaignId: string, delayMs = 2_000): Promise<void> {
  await queues.results.add('compute', { campaignId }, { delay: delayMs, deduplication: { id: `results-${campaignId}`, keepLastIfActive: true }, attempts: 3, backoff: { type: 'exponential', delay: 2_000 } });
}
