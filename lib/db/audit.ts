// The one writer of audit_events, for the auth Worker and the runner alike. Append-only; metadata
// must never hold tokens, codes, secrets or passwords — ids, jti, client_id and scope only.
import type { AuditAction } from '../api/audit-actions';
import { newTimeOrderedId } from '../ids';

export type AuditInput = {
  action: AuditAction;
  orgId?: string | null | undefined;
  /** usr_…, cl_…, key_… or null (the platform itself). */
  actor?: string | null | undefined;
  resource?: string | null | undefined;
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  metadata?: Record<string, unknown> | null | undefined;
  /** Event time (epoch ms); defaults to now. */
  now?: number | undefined;
};

/**
 * An SQL condition (an EXISTS subquery, with its `?` arguments) that is true only for the request
 * whose compare-and-set won earlier in the same batch.
 */
export type Guard = { sql: string; args: (string | number)[] };

/**
 * When the row is written, in the batch it sits in: `always`; `changed` — only if the statement
 * just before it changed a row (SQLite `changes()`), so "revoke if active, then audit" is one
 * atomic step; or a Guard — only if the guarded write won.
 */
export type AuditWhen = 'always' | 'changed' | Guard;

/** The part of a D1 binding this module needs (lib/ sees no Workers types). */
type Preparer<S> = { prepare(query: string): { bind(...values: unknown[]): S } };

/** The one INSERT into audit_events: put it inside the `db.batch` of the change it records. */
export function auditStatement<S>(db: Preparer<S>, e: AuditInput, when: AuditWhen = 'always'): S {
  const ts = e.now ?? Date.now();
  const condition =
    when === 'always'
      ? { sql: '1', args: [] }
      : when === 'changed'
        ? { sql: 'changes() > 0', args: [] }
        : { sql: `EXISTS (${when.sql})`, args: when.args };
  return db
    .prepare(
      `INSERT INTO audit_events (id, ts, org_id, actor, action, resource, ip, user_agent, metadata)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${condition.sql}`,
    )
    .bind(
      newTimeOrderedId('evt', ts),
      ts,
      e.orgId || null,
      e.actor ?? null,
      e.action,
      e.resource ?? null,
      e.ip ?? null,
      e.userAgent?.slice(0, 512) ?? null,
      e.metadata ? JSON.stringify(e.metadata) : null,
      ...condition.args,
    );
}

/** Writes one event on its own (when nothing else must commit with it). */
export async function writeAudit(
  db: Preparer<{ run(): Promise<unknown> }>,
  e: AuditInput,
): Promise<void> {
  await auditStatement(db, e).run();
}
