/** mail queue processor: send one survey email. */
import { UnrecoverableError, type Job } from 'bullmq';
import type { AppContext } from '../src/app/context.js';
import { PermanentSendError, sendSurvey, type MailContext, type SendOutcome } from '../src/app/send-survey.js';

/** Builds the processor around the process's context and mailer. */
export function sendSurveyProcessor(ctx: AppContext & MailContext) {
  return async (job: Job<{ deliveryId: string }>): Promise<SendOutcome> => {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      return await sendSurvey(ctx, job.data.deliveryId, job.id ?? `send-${job.data.deliveryId}`, finalAttempt);
    } catch (error) {
      if (error instanceof PermanentSendError) throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}
