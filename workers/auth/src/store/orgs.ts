// orgs and members: which org a request acts in, and the member list with its roles.
import { and, asc, desc, eq } from 'drizzle-orm';
import { type Member, members, type Org, orgs } from '../../../../lib/db/schema';
import { orm } from './orm';

export type Role = Member['role'];
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
  const membership = { orgId: members.orgId, role: members.role };
  if (wanted) {
    const row = await orm(db)
      .select(membership)
      .from(members)
      .where(and(eq(members.userId, userId), eq(members.orgId, wanted)))
      .get();
    if (row) return row;
  }
  return orm(db)
    .select(membership)
    .from(members)
    .innerJoin(orgs, eq(orgs.id, members.orgId))
    .where(eq(members.userId, userId))
    .orderBy(desc(orgs.personal), asc(members.createdAt))
    .limit(1)
    .get();
}

export async function findRole(
  db: D1Database,
  orgId: string,
  userId: string,
): Promise<Role | undefined> {
  const row = await orm(db)
    .select({ role: members.role })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.userId, userId)))
    .get();
  return row?.role;
}

export async function findOrg(db: D1Database, id: string): Promise<Org | undefined> {
  return orm(db).select().from(orgs).where(eq(orgs.id, id)).get();
}

export type MembershipSummary = { orgId: string; name: string; personal: boolean; role: Role };

export async function listMemberships(
  db: D1Database,
  userId: string,
): Promise<MembershipSummary[]> {
  return orm(db)
    .select({ orgId: orgs.id, name: orgs.name, personal: orgs.personal, role: members.role })
    .from(members)
    .innerJoin(orgs, eq(orgs.id, members.orgId))
    .where(eq(members.userId, userId))
    .orderBy(desc(orgs.personal), asc(members.createdAt))
    .all();
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
