/** RFC 4180 CSV reading with line numbers, so an import can say which line is wrong. Pure. */

/** One record and the line of the file it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Why a text could not be read as CSV at all. */
export class CsvFormatError extends Error {
  constructor(message: string, readonly line: number | null) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = 'CsvFormatError';
  }
}

/**
 * Splits CSV text into records. Accepts `,` separators, `"` quoting with `""` escapes, LF or CRLF
 * line ends, a UTF-8 byte-order mark; skips blank lines. Throws CsvFormatError for text that is
 * not CSV (binary content, an unterminated quote).
 */
export function parseCsv(text: string): CsvRecord[] {
  if (text.includes('\u0000')) throw new CsvFormatError('this looks like a binary file, not CSV text', null);
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quoteStartLine = 0;
  let fieldStarted = false;

  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '' && !fieldStarted;
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };

  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (inQuotes) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
      fieldStarted = true;
      quoteStartLine = line;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (inQuotes) throw new CsvFormatError('a quoted field is never closed', quoteStartLine);
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord();
  return records;
}

/** Makes a cell safe to open in a spreadsheet: quotes it and defuses formulas (=, +, -, @, tab, CR). */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r']/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
