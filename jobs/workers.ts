/** Starts one BullMQ worker per queue, and stops them all. Nothing starts on import. */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppContext } from '../src/app/context.js';
import { settleFailedSend, type MailContext } from '../src/app/send-survey.js';
import { QUEUE } from '../src/queue/names.js';
import { computeResultsProcessor } from './compute-results.js';
import { launchProcessor } from './launch-campaign.js';
import { sendSurveyProcessor } from './send-survey.js';

/** Running workers. */
export interface Workers {
  /** Waits for running jobs to finish, then stops. */
  close(): Promise<void>;
}

/** How many jobs of each queue one process runs at once. */
export interface WorkerConcurrency {
  mail: number;
  campaigns: number;
  results: number;
}

/** Starts the workers on a connection made with createWorkerConnection. */
export function startWorkers(
  ctx: AppContext & MailContext,
  connection: Redis,
  concurrency: WorkerConcurrency = { mail: 10, campaigns: 1, results: 2 },
  log: (line: string) => void = (line) => console.log(line),
): Workers {
  const options = { connection, prefix: ctx.queues.prefix };
  const workers = [
    new Worker(QUEUE.campaigns, launchProcessor(ctx), { ...options, concurrency: concurrency.campaigns }),
    new Worker(QUEUE.mail, sendSurveyProcessor(ctx), { ...options, concurrency: concurrency.mail }),
    new Worker(QUEUE.results, computeResultsProcessor(ctx), { ...options, concurrency: concurrency.results }),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, error) => {
      const attempts = job ? `attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}` : '';
      log(`worker ${worker.name}: job ${job?.id ?? '?'} failed (${attempts}): ${error.message}`);
    });
    worker.on('error', (error) => log(`worker ${worker.name}: ${error.message}`));
  }
  // A send job that will not run again (last attempt failed, or its worker died twice) leaves the
  // delivery failed, not pending for ever: `campaign send ID` can then send it again.
  workers[1].on('failed', (job, error) => {
    const final = job !== undefined && (job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError' || /stalled/i.test(error.message));
    if (!job || !final) return;
    settleFailedSend(ctx, (job.data as { deliveryId: string }).deliveryId, job.id ?? '', error.message).catch((e: Error) => log(`worker mail: could not record the failure: ${e.message}`));
  });
  workers[0].on('completed', (job, result: { deliveries?: number; queued?: number }) => {
    log(`campaign ${result?.deliveries !== undefined ? `launched: ${result.deliveries} recipients, ${result.queued} queued (job ${job.id})` : `job ${job.id} done`}`);
  });
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
