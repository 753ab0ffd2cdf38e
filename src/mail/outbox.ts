/** Reads the outbox folder the outbox mailer writes, for the admin's outbox page. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

const FILE_NAME = /^[A-Za-z0-9_-]+\.eml$/;

/** One message in the outbox list. */
export interface OutboxEntry {
  file: string;
  to: string;
  subject: string;
  date: string;
}

/** True for names the outbox mailer writes; anything else (../, hidden files) is refused. */
export function isOutboxFileName(name: string): boolean {
  return FILE_NAME.test(name);
}

/** The newest `limit` messages, newest first. A missing folder is an empty outbox. */
export async function listOutbox(dir: string, limit = 200): Promise<{ entries: OutboxEntry[]; total: number }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter(isOutboxFileName);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], total: 0 };
    throw error;
  }
  names.sort().reverse();
  const entries = await Promise.all(
    names.slice(0, limit).map(async (file) => {
      const mail = await simpleParser(await readFile(join(dir, file)), { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
      return { file, to: mail.to ? [mail.to].flat().map((a) => a.text).join(', ') : '', subject: mail.subject ?? '', date: mail.date?.toISOString() ?? '' };
    }),
  );
  return { entries, total: names.length };
}

/** One message, parsed, with its raw source; undefined when there is no such file. */
export async function readOutboxMessage(dir: string, file: string): Promise<{ mail: ParsedMail; source: string } | undefined> {
  if (!isOutboxFileName(file)) return undefined;
  try {
    const source = await readFile(join(dir, file), 'utf8');
    return { mail: await simpleParser(source), source };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
