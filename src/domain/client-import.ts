/** Turns CSV records of the client list into validated rows and per-line problems. Pure. */
import { CsvFormatError, type CsvRecord } from './csv.js';
import { isValidTimeZone } from './quarter.js';

export const SEGMENTS = ['managed', 'self_serve'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const CLIENT_COLUMNS = ['account', 'email', 'name', 'account_manager_email', 'segment', 'locale', 'time_zone'] as const;
const REQUIRED_COLUMNS = ['account', 'email'] as const;

/** One good row of the client list. */
export interface ClientRow {
  line: number;
  account: string;
  email: string;
  name: string | null;
  accountManagerEmail: string | null;
  segment: Segment | null;
  locale: string | null;
  timeZone: string | null;
}

/** One bad row, with the line a person can find in their file. */
export interface RowProblem {
  line: number;
  message: string;
}

// Deliberately simple: one @, something on each side, a dot in the domain, no spaces.
const EMAIL_PATTERN = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/;

/** True for an address worth sending to. */
export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL_PATTERN.test(value);
}

/** Lower-cases and trims an address, so re-imports match by email whatever the case. */
export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * Validates the client list. The header row names the columns (any order, case-insensitive);
 * `account` and `email` are required. Throws CsvFormatError when the file as a whole is unusable.
 */
export function validateClientRows(records: CsvRecord[]): { rows: ClientRow[]; problems: RowProblem[] } {
  if (records.length === 0) throw new CsvFormatError('the file is empty; expected a header row', null);
  const [header, ...body] = records;
  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new CsvFormatError(
      `the header row must name the columns ${CLIENT_COLUMNS.join(',')} (at least account and email); missing: ${missing.join(', ')}`,
      header.line,
    );
  }
  const unknown = columns.filter((c) => !(CLIENT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new CsvFormatError(`unknown column(s): ${unknown.join(', ')}; known: ${CLIENT_COLUMNS.join(', ')}`, header.line);

  const rows: ClientRow[] = [];
  const problems: RowProblem[] = [];
  const firstLineByEmail = new Map<string, number>();
  for (const record of body) {
    const cell = (name: string) => {
      const index = columns.indexOf(name);
      const value = index >= 0 ? (record.fields[index] ?? '').trim() : '';
      return value === '' ? null : value;
    };
    if (record.fields.length > columns.length) {
      problems.push({ line: record.line, message: `${record.fields.length} fields but the header has ${columns.length}` });
      continue;
    }
    const account = cell('account');
    const rawEmail = cell('email');
    const segment = cell('segment')?.toLowerCase().replace('-', '_') ?? null;
    const managerEmail = cell('account_manager_email');
    const timeZone = cell('time_zone');
    let problem: string | null = null;
    if (!rawEmail) problem = 'email is missing';
    else if (!isEmail(rawEmail)) problem = `"${rawEmail}" is not an email address`;
    else if (!account) problem = 'account is missing';
    else if (segment !== null && !(SEGMENTS as readonly string[]).includes(segment)) problem = `unknown segment "${cell('segment')}"; use ${SEGMENTS.join(' or ')}`;
    else if (managerEmail !== null && !isEmail(managerEmail)) problem = `account_manager_email "${managerEmail}" is not an email address`;
    else if (timeZone !== null && !isValidTimeZone(timeZone)) problem = `unknown time zone "${timeZone}"; use an IANA name like Europe/London`;
    else if (account.length > 200) problem = 'account name is longer than 200 characters';
    if (problem === null && rawEmail) {
      const first = firstLineByEmail.get(normalizeEmail(rawEmail));
      if (first !== undefined) problem = `${rawEmail} already appears on line ${first}`;
    }
    if (problem !== null || !rawEmail || !account) {
      problems.push({ line: record.line, message: problem ?? 'invalid row' });
      continue;
    }
    const email = normalizeEmail(rawEmail);
    firstLineByEmail.set(email, record.line);
    rows.push({
      line: record.line,
      account,
      email,
      name: cell('name'),
      accountManagerEmail: managerEmail ? normalizeEmail(managerEmail) : null,
      segment: segment as Segment | null,
      locale: cell('locale'),
      timeZone,
    });
  }
  return { rows, problems };
}
