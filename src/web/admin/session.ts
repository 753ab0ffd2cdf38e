/** Admin sessions: a random cookie whose hash is stored, so a database leak reveals no live session. */
import { createHash, randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { deleteSession, findSessionStaff, insertSession, type StaffMember } from '../../db/staff-repo.js';
import { isoNow } from '../../db/ids.js';
import type { WebDeps } from '../deps.js';

export const SESSION_COOKIE = 'nps_session';
const SESSION_DAYS = 7;

/** The variables admin routes can read. */
export type AdminVariables = { staff: StaffMember };

const hash = (value: string) => createHash('sha256').update(value).digest('base64url');

/** Starts a session for a staff member and sets its cookie. */
export async function startSession(c: Context, deps: WebDeps, staffId: string): Promise<void> {
  const value = randomBytes(32).toString('base64url');
  const now = deps.now();
  const expires = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await insertSession(deps.db.kysely, { idHash: hash(value), staffId, createdAt: isoNow(now), expiresAt: isoNow(expires) });
  setCookie(c, SESSION_COOKIE, value, {
    path: '/admin',
    httpOnly: true,
    sameSite: 'Lax',
    secure: deps.config.publicUrl.startsWith('https:'),
    expires,
  });
}

/** Ends the current session, if any. */
export async function endSession(c: Context, deps: WebDeps): Promise<void> {
  const value = getCookie(c, SESSION_COOKIE);
  if (value) await deleteSession(deps.db.kysely, hash(value));
  deleteCookie(c, SESSION_COOKIE, { path: '/admin' });
}

/** Lets signed-in staff through; sends everyone else to the login form. */
export function requireStaff(deps: WebDeps): MiddlewareHandler<{ Variables: AdminVariables }> {
  return async (c, next) => {
    const value = getCookie(c, SESSION_COOKIE);
    const staff = value ? await findSessionStaff(deps.db.kysely, hash(value), isoNow(deps.now())) : undefined;
    if (!staff) return c.redirect(`/admin/login?next=${encodeURIComponent(c.req.path)}`, 303);
    c.set('staff', staff);
    await next();
  };
}
