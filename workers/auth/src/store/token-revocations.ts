// token_revocations: the rules that carry revocation to resource servers verifying tokens offline
// (lib/tokens/revocation.ts, docs/runner.md "Revocation"). Append-only; a rule is pruned once no
// token it can match is still alive.
import type { PresentedToken, RevocationRule } from '../../../../lib/tokens/revocation';
import { forgetMachineAccess } from './machine-access-cache';

export type RevocationReason =
  | 'grant_revoked'
  | 'member_removed'
  | 'role_changed'
  | 'visibility_changed'
  | 'server_deleted'
  | 'api_key_revoked'
  | 'client_revoked'
  | 'token_revoked';

/**
 * A statement appending one rule, for a db.batch beside the write that ends access (so the rule
 * exists exactly when the revocation committed). Building one drops this isolate's copy of
 * client_credentials decisions (store/machine-access-cache.ts), as does revocationsFromStatement. `ttlMs` is the longest life of a token the rule
 * must stop: the access-token TTL plus the runner's clock leeway.
 */
export function revocationStatement(
  db: D1Database,
  rule: Omit<RevocationRule, 'issuedBefore' | 'expiresAt'>,
  reason: RevocationReason,
  now: number,
  ttlMs: number,
): D1PreparedStatement {
  forgetMachineAccess();
  return db
    .prepare(
      `INSERT INTO token_revocations
         (server_id, org_id, sub, client_id, grant_id, issued_before, expires_at, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      rule.serverId ?? null,
      rule.orgId ?? null,
      rule.sub ?? null,
      rule.clientId ?? null,
      rule.grantId ?? null,
      now,
      now + ttlMs,
      reason,
      now,
    );
}

/**
 * As revocationStatement, for every row a query selects (columns `server_id, org_id, sub,
 * client_id, grant_id`, bound with plain `?`): the rules a change implies, computed in the same
 * batch as the change, so they name exactly what it took away. Selecting nothing appends nothing.
 */
export function revocationsFromStatement(
  db: D1Database,
  rules: { sql: string; args: unknown[] },
  reason: RevocationReason,
  now: number,
  ttlMs: number,
): D1PreparedStatement {
  forgetMachineAccess();
  return db
    .prepare(
      `INSERT INTO token_revocations
         (server_id, org_id, sub, client_id, grant_id, issued_before, expires_at, reason, created_at)
       SELECT r.server_id, r.org_id, r.sub, r.client_id, r.grant_id, ?, ?, ?, ?
       FROM (${rules.sql}) r`,
    )
    .bind(now, now + ttlMs, reason, now, ...rules.args);
}

/** Drops rules that can no longer match a live token. */
export function pruneRevocationsStatement(db: D1Database, now: number): D1PreparedStatement {
  return db.prepare('DELETE FROM token_revocations WHERE expires_at < ?').bind(now);
}

/**
 * Appends one `{clientId}` rule for every client the condition selects (SQL over
 * `oauth_clients`), for a batch that then revokes those clients: the rules cover exactly the
 * clients the batch removes, however many there are.
 */
export function clientRevocationsStatement(
  db: D1Database,
  clients: { sql: string; args: string[] },
  reason: RevocationReason,
  now: number,
  ttlMs: number,
): D1PreparedStatement {
  return revocationsFromStatement(
    db,
    {
      sql: `SELECT NULL AS server_id, NULL AS org_id, NULL AS sub, id AS client_id,
              NULL AS grant_id FROM oauth_clients WHERE ${clients.sql}`,
      args: clients.args,
    },
    reason,
    now,
    ttlMs,
  );
}

/**
 * Whether a live rule revokes the token — the same test as `revokes` (lib/tokens/revocation.ts),
 * in SQL, so introspection answers as the runner does. `orgId` null: a resource of no org (the
 * control plane), which only rules naming no org reach.
 */
export async function isRevokedByRule(
  db: D1Database,
  token: Omit<PresentedToken, 'orgId'> & { orgId: string | null },
  now: number,
): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT 1 FROM token_revocations WHERE expires_at >= ? AND issued_before + 1000 > ?
         AND (server_id IS NULL OR server_id = ?) AND (org_id IS NULL OR org_id = ?)
         AND (sub IS NULL OR sub = ?) AND (client_id IS NULL OR client_id = ?)
         AND (grant_id IS NULL OR grant_id = ?)
       LIMIT 1`,
    )
    .bind(
      now,
      token.iat * 1000,
      token.serverId,
      token.orgId,
      token.sub,
      token.clientId,
      token.grantId ?? null,
    )
    .first();
  return row !== null;
}
