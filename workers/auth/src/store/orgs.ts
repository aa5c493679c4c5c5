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

export type OrgUsage = {
  servers: number;
  members: number;
  apiKeys: number;
  secrets: number;
  pendingInvites: number;
  builds: number;
  /** tool.call audit events in the last 30 days (written by the runner). */
  toolCalls30d: number;
};

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

export async function orgUsage(db: D1Database, orgId: string, now = Date.now()): Promise<OrgUsage> {
  const row = await db
    .prepare(
      `SELECT
         (SELECT count(*) FROM servers WHERE org_id = ?1) AS servers,
         (SELECT count(*) FROM members WHERE org_id = ?1) AS members,
         (SELECT count(*) FROM api_keys WHERE org_id = ?1 AND revoked_at IS NULL) AS api_keys,
         (SELECT count(*) FROM secrets s JOIN servers v ON v.id = s.server_id
            WHERE v.org_id = ?1) AS secrets,
         (SELECT count(*) FROM invites WHERE org_id = ?1 AND accepted_at IS NULL
            AND revoked_at IS NULL AND expires_at > ?2) AS pending_invites,
         (SELECT count(*) FROM builds WHERE org_id = ?1) AS builds,
         (SELECT count(*) FROM audit_events WHERE org_id = ?1 AND ts >= ?3
            AND action = 'tool.call') AS tool_calls`,
    )
    .bind(orgId, now, now - THIRTY_DAYS_MS)
    .first<Record<string, number>>();
  return {
    servers: row?.servers ?? 0,
    members: row?.members ?? 0,
    apiKeys: row?.api_keys ?? 0,
    secrets: row?.secrets ?? 0,
    pendingInvites: row?.pending_invites ?? 0,
    builds: row?.builds ?? 0,
    toolCalls30d: row?.tool_calls ?? 0,
  };
}

/** How many of the org's server secrets each master key version protects. */
export async function secretsByKeyVersion(
  db: D1Database,
  orgId: string,
): Promise<{ version: number; secrets: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT s.key_version AS version, count(*) AS secrets FROM secrets s
       JOIN servers v ON v.id = s.server_id WHERE v.org_id = ? GROUP BY s.key_version
       ORDER BY s.key_version`,
    )
    .bind(orgId)
    .all<{ version: number; secrets: number }>();
  return results;
}
