/** Staff use cases: add a login, and the first admin on first start. */
import { randomBytes } from 'node:crypto';
import { isEmail, normalizeEmail } from '../domain/client-import.js';
import { hashPassword } from '../domain/password.js';
import { AppError } from '../errors.js';
import { countStaff, insertStaff, type StaffRole } from '../db/staff-repo.js';
import { isoNow, newId } from '../db/ids.js';
import type { AppContext } from './context.js';

/** A login just made, with its password when it was generated (shown once, never stored). */
export interface NewLogin {
  email: string;
  generatedPassword: string | null;
}

/** Adds a staff login. The password is NPS_PASSWORD or a generated one. */
export async function addStaff(ctx: Pick<AppContext, 'db' | 'now' | 'config'>, input: { email: string; name: string; role: string }): Promise<NewLogin> {
  const email = normalizeEmail(input.email);
  if (!isEmail(email) && !/^[^\s@]+@localhost$/.test(email)) throw new AppError('InvalidInput', `"${input.email}" is not an email address`);
  if (input.role !== 'admin' && input.role !== 'account_manager') throw new AppError('InvalidInput', `role must be admin or account_manager, not "${input.role}"`);
  if (input.name.trim() === '') throw new AppError('InvalidInput', 'name must not be empty');
  const generated = ctx.config.staffPassword ? null : randomBytes(12).toString('base64url');
  const password = ctx.config.staffPassword ?? (generated as string);
  const added = await insertStaff(ctx.db.kysely, {
    id: newId(),
    email,
    name: input.name.trim(),
    role: input.role as StaffRole,
    passwordHash: hashPassword(password, randomBytes(16)),
    createdAt: isoNow(ctx.now()),
  });
  if (!added) throw new AppError('InvalidInput', `a login for ${email} already exists`);
  return { email, generatedPassword: generated };
}

/** On first start (no staff at all), creates `admin@localhost` and returns its login to print once. */
export async function ensureFirstAdmin(ctx: Pick<AppContext, 'db' | 'now' | 'config'>): Promise<NewLogin | null> {
  if ((await countStaff(ctx.db.kysely)) > 0) return null;
  try {
    return await addStaff(ctx, { email: 'admin@localhost', name: 'Administrator', role: 'admin' });
  } catch (error) {
    // Another process created it between the count and the insert.
    if (error instanceof AppError) return null;
    throw error;
  }
}
