// Ending access a change took away (docs/oauth.md "What ends access"). Each function returns
// statements for the same db.batch as the change, placed after it: they read the state the change
// left, revoke exactly the grants whose user may no longer use their server (the rule of
// store/server-access.ts, as SQL) with their refresh tokens, and append the rules that stop the
// access tokens already issued at the runner (lib/tokens/revocation.ts). A change that took
// nothing away — a widened visibility, a compare-and-set that lost — selects nothing.
import type { Server } from '../../../../lib/db/schema';
import { lostConnectionsStatement } from './connection-loss';
import type { Role } from './orgs';
import { mayUseServerSql } from './server-access';
import {
  revocationStatement,
  revocationsFromStatement,
  type RevocationReason,
} from './token-revocations';

/** A condition over `servers s` (and, for grants, `grants g`) with its `?` arguments. */
type Scope = { sql: string; args: unknown[] };

/** Owned confidential clients that may use client_credentials, acting with `c.owner_user_id`. */
const MACHINE_CLIENT = `c.owner_user_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM json_each(c.grant_types) WHERE value = 'client_credentials')`;

function lostGrantsWhere(scope: Scope): Scope {
  return {
    sql: `${scope.sql} AND g.revoked_at IS NULL AND g.user_id IS NOT NULL
      AND NOT ${mayUseServerSql('g.user_id')}`,
    args: scope.args,
  };
}

/** Revokes the grants in scope whose user lost access, then their refresh tokens. */
function revokeLostGrants(
  db: D1Database,
  scope: Scope,
  reason: RevocationReason,
  now: number,
): D1PreparedStatement[] {
  const lost = lostGrantsWhere(scope);
  return [
    db
      .prepare(
        `UPDATE grants SET revoked_at = ?, revoked_reason = ? WHERE id IN
           (SELECT g.id FROM grants g JOIN servers s ON s.id = g.server_id WHERE ${lost.sql})`,
      )
      .bind(now, reason, ...lost.args),
    db
      .prepare(
        `UPDATE refresh_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND grant_id IN
           (SELECT g.id FROM grants g JOIN servers s ON s.id = g.server_id
            WHERE ${scope.sql} AND g.revoked_at = ? AND g.revoked_reason = ?)`,
      )
      .bind(now, ...scope.args, now, reason),
  ];
}

/** `{grantId}` rules for the grants in scope that lost access and may have live access tokens. */
function lostGrantRules(
  db: D1Database,
  scope: Scope,
  reason: RevocationReason,
  now: number,
  ttlMs: number,
): D1PreparedStatement {
  const lost = lostGrantsWhere(scope);
  return revocationsFromStatement(
    db,
    {
      sql: `SELECT NULL AS server_id, NULL AS org_id, NULL AS sub, NULL AS client_id,
              g.id AS grant_id
            FROM grants g JOIN servers s ON s.id = g.server_id
            WHERE ${lost.sql} AND g.last_token_at > ?`,
      args: [...lost.args, now - ttlMs],
    },
    reason,
    now,
    ttlMs,
  );
}

/**
 * `{clientId, serverId}` rules for machine clients whose owner could use a server in scope before
 * the change (`hadAccess`, a condition over `s` and `c`) and cannot now. client_credentials
 * tokens have no grant to revoke; `clients` narrows `oauth_clients c`.
 */
function lostMachineClientRules(
  db: D1Database,
  servers: Scope,
  clients: Scope,
  hadAccess: Scope,
  reason: RevocationReason,
  now: number,
  ttlMs: number,
): D1PreparedStatement {
  return revocationsFromStatement(
    db,
    {
      sql: `SELECT s.id AS server_id, NULL AS org_id, NULL AS sub, c.id AS client_id,
              NULL AS grant_id
            FROM servers s JOIN oauth_clients c
              ON ${MACHINE_CLIENT} AND (c.owner_org_id IS NULL OR c.owner_org_id = s.org_id)
            WHERE ${servers.sql} AND ${clients.sql} AND ${hadAccess.sql}
              AND NOT ${mayUseServerSql('c.owner_user_id')}`,
      args: [...servers.args, ...clients.args, ...hadAccess.args],
    },
    reason,
    now,
    ttlMs,
  );
}

/**
 * After a server's visibility may have changed from `previous` (every publish, and a withdrawn
 * one): the grants and machine clients of users who may no longer use it.
 */
export function serverAccessStatements(
  db: D1Database,
  server: { id: string; previousVisibility: Server['visibility'] },
  now: number,
  ttlMs: number,
): D1PreparedStatement[] {
  const scope = { sql: 's.id = ?', args: [server.id] };
  const reason = 'visibility_changed';
  return [
    lostGrantRules(db, scope, reason, now, ttlMs),
    lostMachineClientRules(
      db,
      // An unchanged visibility takes nothing away: no need to look at the clients at all.
      { sql: 's.id = ? AND s.visibility != ?', args: [server.id, server.previousVisibility] },
      { sql: '1 = 1', args: [] },
      {
        sql: `EXISTS (SELECT 1 FROM (SELECT ? AS visibility) p
                WHERE ${mayUseServerSql('c.owner_user_id', 'p.visibility')})`,
        args: [server.previousVisibility],
      },
      reason,
      now,
      ttlMs,
    ),
    ...revokeLostGrants(db, scope, reason, now),
    lostConnectionsStatement(db, scope),
  ];
}

/**
 * After a member's role changed from `from`: what the new role no longer reaches. Under the rule
 * only an owner's demotion loses anything (other members' private servers).
 */
export function roleChangedStatements(
  db: D1Database,
  member: { orgId: string; userId: string; from: Role },
  now: number,
  ttlMs: number,
): D1PreparedStatement[] {
  const grants = { sql: 's.org_id = ? AND g.user_id = ?', args: [member.orgId, member.userId] };
  const reason = 'role_changed';
  return [
    lostGrantRules(db, grants, reason, now, ttlMs),
    ...(member.from === 'owner'
      ? [
          lostMachineClientRules(
            db,
            { sql: 's.org_id = ?', args: [member.orgId] },
            { sql: 'c.owner_user_id = ?', args: [member.userId] },
            { sql: '1 = 1', args: [] },
            reason,
            now,
            ttlMs,
          ),
        ]
      : []),
    ...revokeLostGrants(db, grants, reason, now),
    lostConnectionsStatement(db, {
      sql: 's.org_id = ? AND uc.user_id = ?',
      args: [member.orgId, member.userId],
    }),
  ];
}

/**
 * After a member left or was removed, if the membership is really gone (the removal may have lost
 * the last-owner check): `{sub, orgId}` ends their tokens at the org's servers, `{clientId, orgId}`
 * those of machine clients bound to no org (removeMember revokes those bound to this one whole).
 * Grants for the org's servers they may no longer use are revoked; public servers stay theirs.
 */
export function memberRemovedStatements(
  db: D1Database,
  member: { orgId: string; userId: string },
  now: number,
  ttlMs: number,
): D1PreparedStatement[] {
  const { orgId, userId } = member;
  const gone = 'NOT EXISTS (SELECT 1 FROM members WHERE org_id = ? AND user_id = ?)';
  const reason = 'member_removed';
  return [
    revocationsFromStatement(
      db,
      {
        sql: `SELECT NULL AS server_id, ? AS org_id, ? AS sub, NULL AS client_id, NULL AS grant_id
              WHERE ${gone}`,
        args: [orgId, userId, orgId, userId],
      },
      reason,
      now,
      ttlMs,
    ),
    revocationsFromStatement(
      db,
      {
        sql: `SELECT NULL AS server_id, ? AS org_id, NULL AS sub, c.id AS client_id,
                NULL AS grant_id
              FROM oauth_clients c
              WHERE ${MACHINE_CLIENT} AND c.owner_user_id = ? AND c.owner_org_id IS NULL
                AND ${gone}`,
        args: [orgId, userId, orgId, userId],
      },
      reason,
      now,
      ttlMs,
    ),
    ...revokeLostGrants(
      db,
      { sql: 's.org_id = ? AND g.user_id = ?', args: [orgId, userId] },
      reason,
      now,
    ),
    lostConnectionsStatement(db, { sql: 's.org_id = ? AND uc.user_id = ?', args: [orgId, userId] }),
  ];
}

/**
 * When a server is deleted: `{serverId}` ends every token for it (a token also names its server's
 * id, so a new server on the freed slug refuses it anyway), and its grants are revoked.
 */
export function serverDeletedStatements(
  db: D1Database,
  serverId: string,
  now: number,
  ttlMs: number,
): D1PreparedStatement[] {
  const reason = 'server_deleted';
  return [
    revocationStatement(db, { serverId }, reason, now, ttlMs),
    db
      .prepare(
        `UPDATE grants SET revoked_at = ?, revoked_reason = ?
         WHERE server_id = ? AND revoked_at IS NULL`,
      )
      .bind(now, reason, serverId),
    db
      .prepare(
        `UPDATE refresh_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND grant_id IN
           (SELECT id FROM grants WHERE server_id = ? AND revoked_at = ? AND revoked_reason = ?)`,
      )
      .bind(now, serverId, now, reason),
  ];
}
