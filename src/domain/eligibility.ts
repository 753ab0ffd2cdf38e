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
}

/** Why a contact is left out, or null when they get the survey. */
export type Exclusion = 'other_segment' | 'other_account_manager' | 'unsubscribed' | 'bounced';

/** Decides whether one contact gets this campaign's email. */
export function exclusionFor(candidate: Candidate, audience: Audience): Exclusion | null {
  if (audience.segment !== null && candidate.segment !== audience.segment) return 'other_segment';
  if (audience.accountManagerEmail !== null && candidate.accountManagerEmail !== audience.accountManagerEmail) return 'other_account_manager';
  if (candidate.unsubscribedAt !== null) return 'unsubscribed';
  if (candidate.bouncedAt !== null) return 'bounced';
  return null;
}
