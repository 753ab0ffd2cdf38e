/** The quarterly launch: one BullMQ job scheduler, upserted at start-up so restarts never duplicate it. */
import { QUARTER_START_CRON } from '../src/domain/quarter.js';
import { QUARTERLY_SCHEDULER_ID } from '../src/queue/names.js';
import type { Queues } from '../src/queue/queues.js';

/** Creates or updates the scheduler that launches each quarter's campaign at local midnight in `timeZone`. */
export async function upsertQuarterlyScheduler(queues: Queues, timeZone: string): Promise<void> {
  // upsertJobScheduler replaces the whole template on each call: always pass the job options.
  await queues.campaigns.upsertJobScheduler(
    QUARTERLY_SCHEDULER_ID,
    { pattern: QUARTER_START_CRON, tz: timeZone },
    { name: 'launch-quarter', data: {}, opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
  );
}
