// users + the personal org every user gets at sign-up (orgs, members).
import { eq } from 'drizzle-orm';
import { type User, users } from '../../../../lib/db/schema';
import { newId } from '../../../../lib/ids';
import { type AuditInput, auditStatement } from './audit';
import { isUniqueViolation } from './constraint-violation';
import { orm } from './orm';

/** Trimmed and lowercased; the unique index on users.email compares this form. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: D1Database, email: string): Promise<User | undefined> {
  return orm(db)
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .get();
}

export async function findUserById(db: D1Database, id: string): Promise<User | undefined> {
  return orm(db).select().from(users).where(eq(users.id, id)).get();
}

export type NewUser = { email: string; name?: string | null; passwordHash: string };

/**
 * Creates the user, their personal org (owner), the audit event and (optionally) a first session
 * in one batch.
 * Returns undefined when the email is taken (the unique index decides, so two concurrent
 * sign-ups with one email cannot both succeed).
 */
export async function createUserWithOrg<S extends object = object>(
  db: D1Database,
  input: NewUser,
  audit: Omit<AuditInput, 'action' | 'actor' | 'orgId' | 'resource'>,
  now = Date.now(),
  session?: (userId: string) => Promise<{ statement: D1PreparedStatement } & S>,
): Promise<({ user: User; orgId: string } & S) | undefined> {
  const user: User = {
    id: newId('usr'),
    email: normalizeEmail(input.email),
    name: input.name ?? null,
    passwordHash: input.passwordHash,
    createdAt: now,
    updatedAt: now,
  };
  const orgId = newId('org');
  const orgName = `${user.name || user.email.split('@')[0]}'s workspace`;
  const extra = session ? await session(user.id) : undefined;
  try {
    await db.batch([
      db
        .prepare(
          'INSERT INTO users (id, email, name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .bind(user.id, user.email, user.name, user.passwordHash, now, now),
      db
        .prepare('INSERT INTO orgs (id, name, personal, plan, created_at) VALUES (?, ?, 1, ?, ?)')
        .bind(orgId, orgName, 'free', now),
      db
        .prepare('INSERT INTO members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)')
        .bind(orgId, user.id, 'owner', now),
      auditStatement(db, {
        ...audit,
        now,
        orgId,
        actor: user.id,
        action: 'user.signup',
        resource: user.id,
      }),
      ...(extra ? [extra.statement] : []),
    ]);
  } catch (err) {
    if (isUniqueViolation(err, 'users.email')) return undefined;
    throw err;
  }
  return { ...(extra as S), user, orgId };
}
