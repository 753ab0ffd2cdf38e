import { describe, expect, it } from 'vitest';
import { exclusionFor, type Candidate } from './eligibility.js';

const managed: Candidate = { segment: 'managed', accountManagerEmail: 'am@agency.test', unsubscribedAt: null, bouncedAt: null, surveyedThisQuarter: false };

describe('who gets the survey', () => {
  it('a managed client of any manager gets the quarterly survey', () => {
    expect(exclusionFor(managed, { segment: 'managed', accountManagerEmail: null })).toBeNull();
  });
  it('self-serve clients are left out of a managed campaign', () => {
    expect(exclusionFor({ ...managed, segment: 'self_serve' }, { segment: 'managed', accountManagerEmail: null })).toBe('other_segment');
  });
  it("an account manager's campaign reaches only their own clients", () => {
    expect(exclusionFor(managed, { segment: null, accountManagerEmail: 'other@agency.test' })).toBe('other_account_manager');
  });
  it('unsubscribed and bounced contacts are never emailed', () => {
    expect(exclusionFor({ ...managed, unsubscribedAt: '2026-01-01T00:00:00Z' }, { segment: null, accountManagerEmail: null })).toBe('unsubscribed');
    expect(exclusionFor({ ...managed, bouncedAt: '2026-01-01T00:00:00Z' }, { segment: null, accountManagerEmail: null })).toBe('bounced');
  });
  it('nobody is surveyed twice in one quarter, whoever started the second campaign', () => {
    expect(exclusionFor({ ...managed, surveyedThisQuarter: true }, { segment: 'managed', accountManagerEmail: null })).toBe('surveyed_this_quarter');
  });
});
