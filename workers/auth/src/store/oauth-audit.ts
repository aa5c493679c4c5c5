// Audit events that commit only if a guarded write in the same batch won (store/audit.ts has the
// unconditional form). The guard is an EXISTS subquery that is true only for the winning request.
import { newTimeOrderedId } from '../../../../lib/ids';

export type Guard = { sql: string; args: (string | number)[] };

export type OAuthAuditEvent = {
  orgId?: string | null;
  actor?: string | null;
  action: string;
  resource?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Never a token, code or secret: ids, jti, client_id, scope only. */
  metadata?: Record<string, unknown>;
};

export function guardedAuditStatement(
  db: D1Database,
  e: OAuthAuditEvent,
  guard: Guard,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_events (id, ts, org_id, actor, action, resource, ip, user_agent, metadata)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${guard.sql})`,
    )
    .bind(
      newTimeOrderedId('evt', now),
      now,
      e.orgId || null,
      e.actor ?? null,
      e.action,
      e.resource ?? null,
      e.ip ?? null,
      e.userAgent?.slice(0, 512) ?? null,
      e.metadata ? JSON.stringify(e.metadata) : null,
      ...guard.args,
    );
}

/** An unconditional event, for batches that carry no guard. */
export function auditEventStatement(
  db: D1Database,
  e: OAuthAuditEvent,
  now: number,
): D1PreparedStatement {
  return guardedAuditStatement(db, e, { sql: 'SELECT 1', args: [] }, now);
}
