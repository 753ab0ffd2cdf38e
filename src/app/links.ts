/** The URLs a survey email carries, signed so only the recipient's link works. */
import { signToken, type Keyring } from '../domain/token.js';

/** Score link base (append `/0`..`/10`) and unsubscribe URL of one delivery. */
export interface SurveyLinks {
  scoreUrl: string;
  unsubscribeUrl: string;
}

/** Builds the links of one delivery; they stop working when the survey closes (unsubscribe lasts a year more). */
export function surveyLinks(publicUrl: string, keyring: Keyring, deliveryId: string, closesAt: Date): SurveyLinks {
  const respond = signToken(keyring, 'respond', deliveryId, closesAt);
  const unsubscribe = signToken(keyring, 'unsubscribe', deliveryId, new Date(closesAt.getTime() + 365 * 86_400_000));
  return { scoreUrl: `${publicUrl}/s/${respond}`, unsubscribeUrl: `${publicUrl}/u/${unsubscribe}` };
}
