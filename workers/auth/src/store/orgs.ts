// orgs and members: which org a request acts in, and the member list with its roles.
import type { Org } from '../../../../lib/db/schema';

export type Role = 'owner' | 'admin' | 'member';
export type Membership = { orgId: string; role: Role };

/**
 * The org a user acts in: `wanted` when they are a member of it, otherwise their personal org
 * (or, failing that, the oldest membership).
 */
export async function resolveMembership(
  db: D1Database,
  userId: string,
  wanted?: string,
): Promise<Membership | undefined> {
  if (wanted) {
    const row = await db
      .prepare('SELECT org_id, role FROM members WHERE user_id = ? AND org_id = ?')
      .bind(userId, wanted)
      .first<{ org_id: string; role: Role }>();
    if (row) return { orgId: row.org_id, role: row.role };
  }
  const row = await db
    .prepare(
      `SELECT m.org_id, m.role FROM members m JOIN orgs o ON o.id = m.org_id
       WHERE m.user_id = ? ORDER BY o.personal DESC, m.created_at ASC LIMIT 1`,
    )
    .bind(userId)
    .first<{ org_id: string; role: Role }>();
  return row ? { orgId: row.org_id, role: row.role } : undefined;
}

export async function findRole(
  db: D1Database,
  orgId: string,
  userId: string,
): Promise<Role | undefined> {
  const row = await db
    .prepare('SELECT role FROM members WHERE org_id = ? AND user_id = ?')
    .bind(orgId, userId)
    .first<{ role: Role }>();
  return row?.role;
}

export async function findOrg(db: D1Database, id: string): Promise<Org | undefined> {
  const r = await db
    .prepare('SELECT * FROM orgs WHERE id = ?')
    .bind(id)
    .first<{ id: string; name: string; personal: number; plan: Org['plan']; created_at: number }>();
  return r
    ? { id: r.id, name: r.name, personal: r.personal === 1, plan: r.plan, createdAt: r.created_at }
    : undefined;
}

export type MembershipSummary = { orgId: string; name: string; personal: boolean; role: Role };

export async function listMemberships(
  db: D1Database,
  userId: string,
): Promise<MembershipSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT o.id, o.name, o.personal, m.role FROM members m JOIN orgs o ON o.id = m.org_id
       WHERE m.user_id = ? ORDER BY o.personal DESC, m.created_at ASC`,
    )
    .bind(userId)
    .all<{ id: string; name: string; personal: number; role: Role }>();
  return results.map((r) => ({
    orgId: r.id,
    name: r.name,
    personal: r.personal === 1,
    role: r.role,
  }));
}
