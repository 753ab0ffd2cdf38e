/** Reads a submitted form; anything unreadable is the sender's mistake (400), never a 500. */
import type { Context } from 'hono';
import { AppError } from '../errors.js';

/** The form fields of a POST, single values only. */
export async function readForm(c: Context): Promise<Record<string, string | undefined>> {
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch {
    throw new AppError('InvalidInput', 'The form could not be read. Please send it again from the page.');
  }
  const fields: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw new AppError('InvalidInput', `The field “${name}” should be text.`);
    // PostgreSQL refuses NUL in text; no person types one.
    if (value.includes('\u0000')) throw new AppError('InvalidInput', `The field “${name}” contains a character that is not allowed.`);
    fields[name] = value;
  }
  return fields;
}
