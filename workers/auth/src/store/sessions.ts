// sessions: the row id is SHA-256 of the cookie value, so a database leak yields no usable cookie.
import { eq } from 'drizzle-orm';
import { type Session, sessions, type User, users } from '../../../../lib/db/schema';
import { sha256Hex } from '../../../../lib/crypto/hash';
import { randomToken } from '../../../../lib/ids';
import { orm } from './orm';

/** Absolute lifetime; see docs/decisions.md. */
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
/** last_seen_at is refreshed at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** A new session; `statement` inserts it (run it alone or inside a `db.batch`). */
export async function newSession(
  db: D1Database,
  userId: string,
  meta: { ip?: string | null; userAgent?: string | null },
  now = Date.now(),
): Promise<{ cookieValue: string; session: Session; statement: D1PreparedStatement }> {
  const cookieValue = randomToken(32);
  const session: Session = {
    id: await sha256Hex(cookieValue),
    userId,
    csrfToken: randomToken(32),
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
    lastSeenAt: now,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
  };
  const statement = db
    .prepare(
      `INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen_at, ip, user_agent)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      session.id,
      userId,
      session.csrfToken,
      now,
      session.expiresAt,
      now,
      session.ip,
      session.userAgent,
    );
  return { cookieValue, session, statement };
}

/** The live session for a cookie value, with its user; expired sessions are deleted on sight. */
export async function findSession(
  db: D1Database,
  cookieValue: string,
  now = Date.now(),
): Promise<{ session: Session; user: User } | undefined> {
  const id = await sha256Hex(cookieValue);
  const row = await orm(db)
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .get();
  if (!row) return undefined;
  const { session, user } = row;
  if (session.expiresAt <= now) {
    await deleteSession(db, id);
    return undefined;
  }
  if (now - session.lastSeenAt > TOUCH_EVERY_MS) {
    await db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').bind(now, id).run();
  }
  return { session, user };
}

export async function deleteSession(db: D1Database, id: string): Promise<void> {
  await db.prepare('DELETE FROM sessions WHERE id = ?').bind(id).run();
}

export function deleteSessionStatement(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare('DELETE FROM sessions WHERE id = ?').bind(id);
}
