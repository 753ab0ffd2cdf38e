/** Survey answers: open a link, record a score, save the follow-up, keep the evidence. */
import { findDeliveryDetails } from '../db/deliveries-repo.js';
import { isoNow } from '../db/ids.js';
import {
  findResponseByDelivery,
  markResponseSuspected,
  prepareCountRecentScores,
  prepareInsertLinkEvent,
  prepareRecordScore,
  saveFollowUp,
  type FollowUpAnswers,
  type StoredResponse,
} from '../db/responses-repo.js';
import { BURST_WINDOW_MS, isScoreBurst } from '../domain/scanner.js';
import { verifyToken } from '../domain/token.js';
import { AppError } from '../errors.js';
import { enqueueResults } from '../queue/queues.js';
import type { AppContext } from './context.js';

/** What a request on a survey link looked like (kept as scanner evidence). */
export interface RequestEvidence {
  method: string;
  network: string | null;
  userAgent: string | null;
}

/** The survey answer use cases, holding the prepared score statement of the hot path. */
export interface SurveyResponder {
  /** The delivery a respond token is for, from the token alone; throws InvalidToken or ExpiredToken. */
  deliveryOf(token: string): string;
  /** The same, after checking the delivery exists and its survey is open; also throws SurveyClosed. */
  open(token: string): Promise<string>;
  /** Logs a fetch of a score link (GET or HEAD): evidence only, never a score. */
  viewed(deliveryId: string, score: number | null, evidence: RequestEvidence): Promise<void>;
  /**
   * Records or changes the score; the latest answer wins. Several different scores within a minute
   * (a scanner running the page on every link) leave the answer `suspected_bot`, out of the results,
   * until a person's later action. Throws SurveyClosed for a closed or unknown delivery.
   */
  recordScore(deliveryId: string, score: number, evidence: RequestEvidence): Promise<void>;
  /** Records the score and the follow-up answers together (the form): a person's action, so confirmed. */
  saveForm(deliveryId: string, score: number, answers: FollowUpAnswers, evidence: RequestEvidence): Promise<void>;
  /** The stored answer, if any. */
  stored(deliveryId: string): Promise<StoredResponse | undefined>;
}

const CLOSED = 'This survey has closed. Thank you for your interest.';

/** Builds the responder; call once per process (it prepares the score statement). */
export function createSurveyResponder(ctx: AppContext, log: (line: string) => void = () => {}): SurveyResponder {
  const upsertScore = prepareRecordScore(ctx.db);
  const insertLinkEvent = prepareInsertLinkEvent(ctx.db);
  const countRecentScores = prepareCountRecentScores(ctx.db);
  const db = ctx.db.kysely;

  const logEvent = (deliveryId: string, score: number | null, e: RequestEvidence) =>
    insertLinkEvent({ deliveryId, method: e.method, score, at: isoNow(ctx.now()), network: e.network, userAgent: e.userAgent });

  // Asks for a recompute without making the visitor wait for Redis. While a request for the same
  // campaign is on its way, answers only note that one more is due; it is sent when the first
  // returns, so the last answer always has a request made after it was stored.
  // The answer is stored already; a Redis hiccup must not turn it into an error page.
  const inFlight = new Map<string, { again: boolean }>();
  const requestResults = (campaignId: string): void => {
    const pending = inFlight.get(campaignId);
    if (pending) {
      pending.again = true;
      return;
    }
    const state = { again: false };
    inFlight.set(campaignId, state);
    enqueueResults(ctx.queues, campaignId)
      .catch((error: Error) => log(`results: could not queue a recompute for ${campaignId}: ${error.message}`))
      .finally(() => {
        inFlight.delete(campaignId);
        if (state.again) requestResults(campaignId);
      });
  };

  const record = async (deliveryId: string, score: number) => {
    const recorded = await upsertScore(deliveryId, score, isoNow(ctx.now()));
    if (!recorded) throw new AppError('SurveyClosed', CLOSED);
    return recorded;
  };

  const deliveryOf = (token: string) => {
    const check = verifyToken(ctx.keyring, 'respond', token, ctx.now());
    if (!check.ok) {
      if (check.problem === 'expired') throw new AppError('ExpiredToken', CLOSED);
      throw new AppError('InvalidToken', 'This survey link is not valid. Please use the link from your email, complete and unchanged.');
    }
    return check.subject;
  };

  return {
    deliveryOf,
    async open(token) {
      const deliveryId = deliveryOf(token);
      const state = await findDeliveryDetails(db, deliveryId);
      if (!state) throw new AppError('InvalidToken', 'This survey link is not valid.');
      if (state.campaignStatus === 'closed' || (state.closesAt !== null && state.closesAt <= isoNow(ctx.now()))) throw new AppError('SurveyClosed', CLOSED);
      return deliveryId;
    },
    async viewed(deliveryId, score, evidence) {
      await logEvent(deliveryId, score, evidence);
    },
    async recordScore(deliveryId, score, evidence) {
      const recorded = await record(deliveryId, score);
      await logEvent(deliveryId, score, evidence);
      const now = ctx.now();
      // Counted per sender (network and browser): a scanner's burst just before the person's own
      // click must not make the person's answer look like the scanner's.
      const since = isoNow(new Date(now.getTime() - BURST_WINDOW_MS));
      if (isScoreBurst(await countRecentScores(deliveryId, since, evidence.network, evidence.userAgent))) {
        await markResponseSuspected(db, deliveryId, isoNow(now));
      }
      requestResults(recorded.campaignId);
    },
    async saveForm(deliveryId, score, answers, evidence) {
      const recorded = await record(deliveryId, score);
      await saveFollowUp(db, deliveryId, answers, isoNow(ctx.now()));
      await logEvent(deliveryId, score, evidence);
      requestResults(recorded.campaignId);
    },
    stored: (deliveryId) => findResponseByDelivery(db, deliveryId),
  };
}
