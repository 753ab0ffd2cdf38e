import { describe, expect, it } from 'vitest';
import { validateClientRows } from './client-import.js';
import { CsvFormatError, csvCell, parseCsv } from './csv.js';

const read = (text: string) => validateClientRows(parseCsv(text));

describe('reading the client list', () => {
  it('reads quoted fields, CRLF, a BOM and blank lines, keeping line numbers', () => {
    const records = parseCsv('\uFEFFaccount,email\r\n"Acme, Inc.",a@acme.test\r\n\r\n"Say ""hi""",b@x.test\n');
    expect(records).toEqual([
      { line: 1, fields: ['account', 'email'] },
      { line: 2, fields: ['Acme, Inc.', 'a@acme.test'] },
      { line: 4, fields: ['Say "hi"', 'b@x.test'] },
    ]);
  });

  it('counts lines inside quoted fields so later line numbers stay right', () => {
    const { problems } = read('account,email\n"Multi\nline",a@x.test\nAcme,not-an-email\n');
    expect(problems).toEqual([{ line: 4, message: '"not-an-email" is not an email address' }]);
  });

  it('reports each bad row with its line number and keeps the good ones', () => {
    const { rows, problems } = read([
      'account,email,name,account_manager_email,segment,locale,time_zone',
      'Acme,ann@acme.test,Ann,am@agency.test,managed,en,Europe/London',
      'Acme,,No Email,,,,',
      'Acme,bob(at)acme.test,Bob,,,,',
      'Beta,carl@beta.test,Carl,,enterprise,,',
      'Beta,ANN@acme.test,Ann again,,,,',
      'Beta,dora@beta.test,Dora,,self-serve,,Mars/Olympus',
      'Beta,eve@beta.test,Eve,,self_serve,,',
    ].join('\n'));
    expect(rows.map((r) => r.email)).toEqual(['ann@acme.test', 'eve@beta.test']);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7]);
    expect(problems[0].message).toMatch(/email is missing/);
    expect(problems[1].message).toMatch(/not an email/);
    expect(problems[2].message).toMatch(/unknown segment "enterprise"/);
    expect(problems[3].message).toMatch(/already appears on line 2/);
    expect(problems[4].message).toMatch(/unknown time zone/);
  });

  it('a file without the required header is refused as a whole', () => {
    expect(() => read('name,phone\nAnn,123\n')).toThrow(/missing: account, email/);
    expect(() => read('')).toThrow(CsvFormatError);
  });

  it('binary content and unterminated quotes are not CSV', () => {
    expect(() => parseCsv('PK\u0003\u0004\u0000\u0000')).toThrow(/binary/);
    expect(() => parseCsv('account,email\n"Acme,a@x.test\n')).toThrow(/line 2: a quoted field is never closed/);
  });

  it('exported cells cannot run as spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(-5)).toBe('-5');
  });
});
