// Who may use a hosted server (DESIGN §4 visibility, docs/oauth.md "Who may use a server"):
// `public` — any signed-in user; otherwise current membership of the server's org comes first,
// then `org` — any member; `private` — the org's owners, and its creator while still a member.
// Every path that mints a token for a user asks afresh (no cache: a removed member must not get
// one more token); client_credentials keeps its decision 5 s and dates the token to the read
// (machine-access-cache.ts). The rule exists twice, in TypeScript and as SQL for the statements that revoke what a
// change took away; test/server-access-rule.test.ts holds them equal.
import { and, eq } from 'drizzle-orm';
import { members, type Server, servers } from '../../../../lib/db/schema';
import { orm } from './orm';
import type { Role } from './orgs';

export type AccessSubject = Pick<Server, 'visibility' | 'createdBy'>;

/** The rule, given the user's current role in the server's org (`null`: not a member). */
export function mayUseServer(server: AccessSubject, userId: string, role: Role | null): boolean {
  if (server.visibility === 'public') return true;
  if (role === null) return false;
  return server.visibility === 'org' || role === 'owner' || server.createdBy === userId;
}

/**
 * The same rule as an SQL condition over a `servers` row aliased `s` and a user-id expression
 * (a column such as `g.user_id`; never interpolate input). `visibility` replaces the row's (a
 * column), to ask who could use the server under its previous visibility.
 */
export function mayUseServerSql(user: string, visibility = 's.visibility'): string {
  return `(${visibility} = 'public' OR EXISTS (SELECT 1 FROM members m
    WHERE m.org_id = s.org_id AND m.user_id = ${user}
      AND (${visibility} = 'org' OR m.role = 'owner' OR s.created_by = ${user})))`;
}

/** A fresh answer for one server and user; an unknown (deleted) server is no. */
export async function userMayUseServer(
  db: D1Database,
  serverId: string,
  userId: string,
): Promise<boolean> {
  const row = await orm(db)
    .select({ visibility: servers.visibility, createdBy: servers.createdBy, role: members.role })
    .from(servers)
    .leftJoin(members, and(eq(members.orgId, servers.orgId), eq(members.userId, userId)))
    .where(eq(servers.id, serverId))
    .get();
  if (!row) return false;
  return mayUseServer(row, userId, row.role);
}
