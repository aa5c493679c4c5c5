// refresh_tokens: each grant's refresh tokens are one rotation family (OAuth 2.1 §4.3.1, RFC 9700
// §4.14.2). Rotation is a compare-and-set on the presented token, so of concurrent refreshes with
// one token exactly one commits; the statements here go into the batch of the token response.
import { and, eq, sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { alias } from 'drizzle-orm/sqlite-core';
import {
  grants,
  members,
  type RefreshToken,
  refreshTokens,
  type Server,
  servers,
  type Grant,
} from '../../../../lib/db/schema';
import type { Guard } from './audit';
import { orm } from './orm';
import { prepared } from './prepared';
import type { Role } from './orgs';

export async function findRefreshToken(
  db: D1Database,
  tokenHash: string,
): Promise<RefreshToken | undefined> {
  return orm(db).select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).get();
}

/**
 * A refresh token with its successor's state, its grant, the grant's server and the user's current
 * role in the server's org (null: not a member), in one read (the refresh hot path).
 */
export type RefreshContext = {
  token: RefreshToken;
  /** Whether the token's successor exists and was never used (the grace rule's question). */
  successorUnused: boolean;
  grant: Grant | undefined;
  server: Server | undefined;
  role: Role | null;
};

const successor = alias(refreshTokens, 'successor');
const refreshContextQuery = (o: DrizzleD1Database) =>
  o
    .select({
      token: refreshTokens,
      successorUsedAt: successor.usedAt,
      successorHash: successor.tokenHash,
      grant: grants,
      server: servers,
      role: members.role,
    })
    .from(refreshTokens)
    .leftJoin(successor, eq(successor.tokenHash, refreshTokens.replacedBy))
    .leftJoin(grants, eq(grants.id, refreshTokens.grantId))
    .leftJoin(servers, eq(servers.id, grants.serverId))
    .leftJoin(members, and(eq(members.orgId, servers.orgId), eq(members.userId, grants.userId)))
    .where(eq(refreshTokens.tokenHash, sql.placeholder('tokenHash')))
    .prepare();

export async function findRefreshContext(
  db: D1Database,
  tokenHash: string,
): Promise<RefreshContext | undefined> {
  const row = await prepared(db, refreshContextQuery).get({ tokenHash });
  if (!row) return undefined;
  return {
    token: row.token,
    successorUnused: row.successorHash !== null && row.successorUsedAt === null,
    grant: row.grant ?? undefined,
    server: row.server ?? undefined,
    role: row.role ?? null,
  };
}

/**
 * A read of the token and its successor to put last in the rotation's batch: when the
 * compare-and-set lost to a concurrent request, the batch already carries the state that request
 * left, so looking again costs no extra round trip (parse it with `refreshStateOf`).
 */
export function refreshStateStatement(db: D1Database, tokenHash: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT t.token_hash, t.grant_id, t.client_id, t.created_at, t.idle_expires_at, t.used_at,
         t.replaced_by, t.revoked_at, s.token_hash AS s_hash, s.used_at AS s_used_at
       FROM refresh_tokens t LEFT JOIN refresh_tokens s ON s.token_hash = t.replaced_by
       WHERE t.token_hash = ?`,
    )
    .bind(tokenHash);
}

type RefreshStateRow = {
  token_hash: string;
  grant_id: string;
  client_id: string;
  created_at: number;
  idle_expires_at: number;
  used_at: number | null;
  replaced_by: string | null;
  revoked_at: number | null;
  s_hash: string | null;
  s_used_at: number | null;
};

export function refreshStateOf(
  result: D1Result | undefined,
): Pick<RefreshContext, 'token' | 'successorUnused'> | undefined {
  const row = (result?.results as RefreshStateRow[] | undefined)?.[0];
  if (!row) return undefined;
  return {
    token: {
      tokenHash: row.token_hash,
      grantId: row.grant_id,
      clientId: row.client_id,
      createdAt: row.created_at,
      idleExpiresAt: row.idle_expires_at,
      usedAt: row.used_at,
      replacedBy: row.replaced_by,
      revokedAt: row.revoked_at,
    },
    successorUnused: row.s_hash !== null && row.s_used_at === null,
  };
}

export function insertRefreshStatement(
  db: D1Database,
  t: Pick<RefreshToken, 'tokenHash' | 'grantId' | 'clientId' | 'createdAt' | 'idleExpiresAt'>,
  guard: Guard,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO refresh_tokens (token_hash, grant_id, client_id, created_at, idle_expires_at,
         used_at, replaced_by, revoked_at)
       SELECT ?, ?, ?, ?, ?, NULL, NULL, NULL WHERE EXISTS (${guard.sql})`,
    )
    .bind(t.tokenHash, t.grantId, t.clientId, t.createdAt, t.idleExpiresAt, ...guard.args);
}

/** Rotation's compare-and-set: only an unused, unrevoked, unexpired token in a live grant. */
export function rotateRefreshStatement(
  db: D1Database,
  oldHash: string,
  newHash: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE refresh_tokens SET used_at = ?, replaced_by = ?
       WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND idle_expires_at > ?
         AND EXISTS (SELECT 1 FROM grants g WHERE g.id = refresh_tokens.grant_id
                     AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?))`,
    )
    .bind(now, newHash, oldHash, now, now);
}

/**
 * The grace path (docs/oauth.md "Refresh tokens"): the previous token is presented again soon
 * after its rotation and its successor was never used, so the response was probably lost. The
 * successor is replaced, keeping exactly one live token in the family. Compare-and-set on
 * `replaced_by`, so concurrent retries serialize.
 */
export function reRotateStatements(
  db: D1Database,
  oldHash: string,
  lostHash: string,
  newHash: string,
  now: number,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE refresh_tokens SET replaced_by = ?
         WHERE token_hash = ? AND replaced_by = ?
           AND EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.token_hash = ?
                       AND s.used_at IS NULL AND s.revoked_at IS NULL)
           AND EXISTS (SELECT 1 FROM grants g WHERE g.id = refresh_tokens.grant_id
                       AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > ?))`,
      )
      .bind(newHash, oldHash, lostHash, lostHash, now),
    db
      .prepare(
        `UPDATE refresh_tokens SET revoked_at = ? WHERE token_hash = ? AND EXISTS
           (SELECT 1 FROM refresh_tokens o WHERE o.token_hash = ? AND o.replaced_by = ?)`,
      )
      .bind(now, lostHash, oldHash, newHash),
  ];
}

export function rotatedGuard(oldHash: string, newHash: string): Guard {
  return {
    sql: 'SELECT 1 FROM refresh_tokens WHERE token_hash = ? AND replaced_by = ?',
    args: [oldHash, newHash],
  };
}
