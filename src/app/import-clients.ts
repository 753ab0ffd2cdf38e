/** Imports the client list from a CSV file: good rows land, bad rows are reported by line. */
import { readFile } from 'node:fs/promises';
import { importClients, type ImportCounts } from '../db/clients-repo.js';
import { isoNow } from '../db/ids.js';
import { validateClientRows, type RowProblem } from '../domain/client-import.js';
import { CsvFormatError, parseCsv } from '../domain/csv.js';
import { AppError } from '../errors.js';
import type { AppContext } from './context.js';

const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** What an import did. */
export interface ImportReport extends ImportCounts {
  problems: RowProblem[];
}

/** Reads and imports a CSV file. A file that is not CSV at all changes nothing. */
export async function importClientFile(ctx: Pick<AppContext, 'db' | 'now'>, path: string, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('InvalidInput', code === 'ENOENT' ? `${path}: no such file` : code === 'EISDIR' ? `${path} is a folder, not a CSV file` : `${path}: ${(error as Error).message}`);
  }
  if (bytes.length > MAX_FILE_BYTES) throw new AppError('InvalidInput', `${path} is larger than 50 MB; split it into several files`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\uFFFD') && bytes.includes(0)) throw new AppError('InvalidInput', `${path} is not a CSV text file (it looks binary)`);
  let validated;
  try {
    validated = validateClientRows(parseCsv(text));
  } catch (error) {
    if (error instanceof CsvFormatError) throw new AppError('InvalidInput', `${path} is not a usable client list: ${error.message}`);
    throw error;
  }
  const counts = validated.rows.length > 0 ? await importClients(ctx.db.kysely, validated.rows, isoNow(ctx.now()), (done) => onProgress?.(done, validated.rows.length)) : { created: 0, updated: 0, accountsCreated: 0 };
  return { ...counts, problems: validated.problems };
}
