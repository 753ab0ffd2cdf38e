/** Who a campaign may email. Pure: rows in, decisions out. */

/** Which clients a campaign is for; null fields mean "any". */
export interface Audience {
  segment: 'managed' | 'self_serve' | null;
  accountManagerEmail: string | null;
}

/** The facts about a contact that decide eligibility. */
export interface Candidate {
  segment: 'managed' | 'self_serve';
  accountManagerEmail: string | null;
  unsubscribedAt: string | null;
  bouncedAt: string | null;
  /** Another campaign of the same quarter already emailed them. */
  surveyedThisQuarter: boolean;
}

/** Why a contact is left out, or null when they get the survey. */
export type Exclusion = 'other_segment' | 'other_account_manager' | 'unsubscribed' | 'bounced' | 'surveyed_this_quarter';

/** Decides whether one contact gets this campaign's email. */
export function exclusionFor(candidate: Candidate, audience: Audience): Exclusion | null {
  if (audience.segment !== null && candidate.segment !== audience.segment) return 'other_segment';
  if (audience.accountManagerEmail !== null && candidate.accountManagerEmail !== audience.accountManagerEmail) return 'other_account_manager';
  if (candidate.unsubscribedAt !== null) return 'unsubscribed';
  if (candidate.bouncedAt !== null) return 'bounced';
  // Once a quarter: a manager's campaign and the scheduler's must not both email the same person.
  if (candidate.surveyedThisQuarter) return 'surveyed_this_quarter';
  return null;
}
