/** Staff logins (admins and account managers) and their sessions. */
import type { Executor } from './executor.js';
import type { StaffTable } from './database.js';

export type StaffRole = StaffTable['role'];

/** A staff member as the rest of the code sees one (never with the password hash). */
export interface StaffMember {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
}

/** Adds a login; the caller hashes the password. Returns false when the email is taken. */
export async function insertStaff(db: Executor, staff: StaffMember & { passwordHash: string; createdAt: string }): Promise<boolean> {
  const result = await db
    .insertInto('staff')
    .values({ id: staff.id, email: staff.email, name: staff.name, role: staff.role, password_hash: staff.passwordHash, created_at: staff.createdAt })
    .onConflict((oc) => oc.column('email').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The login row for an email, hash included, for checking a password. */
export async function findStaffLogin(db: Executor, email: string): Promise<(StaffMember & { passwordHash: string }) | undefined> {
  const row = await db.selectFrom('staff').select(['id', 'email', 'name', 'role', 'password_hash']).where('email', '=', email).executeTakeFirst();
  return row && { id: row.id, email: row.email, name: row.name, role: row.role, passwordHash: row.password_hash };
}

/** How many logins exist: zero means first start. */
export async function countStaff(db: Executor): Promise<number> {
  const row = await db.selectFrom('staff').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Display names of staff by email, to sign survey emails with the account manager's name. */
export async function findStaffName(db: Executor, email: string): Promise<string | undefined> {
  return (await db.selectFrom('staff').select('name').where('email', '=', email).executeTakeFirst())?.name;
}

/** Stores a session under the hash of its cookie value. */
export async function insertSession(db: Executor, session: { idHash: string; staffId: string; createdAt: string; expiresAt: string }): Promise<void> {
  await db.insertInto('sessions').values({ id: session.idHash, staff_id: session.staffId, created_at: session.createdAt, expires_at: session.expiresAt }).execute();
}

/** The staff member behind an unexpired session, if any. */
export async function findSessionStaff(db: Executor, idHash: string, now: string): Promise<StaffMember | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('staff as m', 'm.id', 's.staff_id')
    .select(['m.id', 'm.email', 'm.name', 'm.role'])
    .where('s.id', '=', idHash)
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
}

/** Ends a session. */
export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', idHash).execute();
}
