// Audit events that commit only if a guarded write in the same batch won (store/audit.ts has the
// unconditional form). The guard is an EXISTS subquery that is true only for the winning request.
import { auditStatement, conditionalAuditStatement, type AuditInput } from './audit';

export type Guard = { sql: string; args: (string | number)[] };

/** Metadata: never a token, code or secret — ids, jti, client_id, scope only. */
export type OAuthAuditEvent = Omit<AuditInput, 'now'>;

export function guardedAuditStatement(
  db: D1Database,
  e: OAuthAuditEvent,
  guard: Guard,
  now: number,
): D1PreparedStatement {
  return conditionalAuditStatement(
    db,
    { ...e, now },
    { sql: `EXISTS (${guard.sql})`, args: guard.args },
  );
}

/** An unconditional event, for batches that carry no guard. */
export function auditEventStatement(
  db: D1Database,
  e: OAuthAuditEvent,
  now: number,
): D1PreparedStatement {
  return auditStatement(db, { ...e, now });
}
