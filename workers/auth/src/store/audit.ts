// audit_events: append-only. Metadata must never hold tokens, codes, secrets or passwords.
import type { AuditEvent } from '../../../../lib/db/schema';
import { newTimeOrderedId } from '../../../../lib/ids';

export type AuditInput = {
  orgId?: string | null;
  actor?: string | null;
  action: string;
  resource?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  metadata?: Record<string, unknown> | null;
  now?: number;
};

/**
 * The one INSERT into audit_events. `condition` (SQL, with `args`) decides whether the row is
 * written, so an event can commit only if the change it records did (same batch).
 */
export function conditionalAuditStatement(
  db: D1Database,
  e: AuditInput,
  condition: { sql: string; args: (string | number)[] },
): D1PreparedStatement {
  const ts = e.now ?? Date.now();
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

/** A prepared INSERT to put inside a `db.batch`, so the event commits with what it describes. */
export function auditStatement(db: D1Database, e: AuditInput): D1PreparedStatement {
  return conditionalAuditStatement(db, e, { sql: '1', args: [] });
}

/**
 * Like auditStatement, but inserts only when the statement just before it in the same batch
 * changed a row (SQLite `changes()`), so "revoke if active, then audit" stays one atomic step.
 */
export function auditIfChangedStatement(db: D1Database, e: AuditInput): D1PreparedStatement {
  return conditionalAuditStatement(db, e, { sql: 'changes() > 0', args: [] });
}

export async function writeAudit(db: D1Database, e: AuditInput): Promise<void> {
  await auditStatement(db, e).run();
}

export type AuditQuery = {
  orgId: string;
  action?: string;
  actor?: string;
  resource?: string;
  since?: number;
  until?: number;
  /** The id of the last event of the previous page (ids sort by time). */
  cursor?: string;
  limit: number;
};

type AuditRow = {
  id: string;
  ts: number;
  org_id: string | null;
  actor: string | null;
  action: string;
  resource: string | null;
  ip: string | null;
  user_agent: string | null;
  metadata: string | null;
};

/** Newest first; returns one page and the cursor of the next one, if any. */
export async function listAudit(
  db: D1Database,
  q: AuditQuery,
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  const where = ['org_id = ?'];
  const args: (string | number)[] = [q.orgId];
  if (q.action !== undefined) {
    // "user.*" matches every action under "user."
    if (q.action.endsWith('.*')) {
      where.push('substr(action, 1, ?) = ?');
      const prefix = q.action.slice(0, -1);
      args.push(prefix.length, prefix);
    } else {
      where.push('action = ?');
      args.push(q.action);
    }
  }
  const filters: [string, string | number | undefined][] = [
    ['actor = ?', q.actor],
    ['resource = ?', q.resource],
    ['ts >= ?', q.since],
    ['ts < ?', q.until],
    ['id < ?', q.cursor],
  ];
  for (const [clause, value] of filters) {
    if (value === undefined) continue;
    where.push(clause);
    args.push(value);
  }
  const { results } = await db
    .prepare(`SELECT * FROM audit_events WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`)
    .bind(...args, q.limit + 1)
    .all<AuditRow>();
  const page = results.slice(0, q.limit);
  return {
    events: page.map((r) => ({
      id: r.id,
      ts: r.ts,
      orgId: r.org_id,
      actor: r.actor,
      action: r.action,
      resource: r.resource,
      ip: r.ip,
      userAgent: r.user_agent,
      metadata: r.metadata ? (JSON.parse(r.metadata) as Record<string, unknown>) : null,
    })),
    nextCursor: results.length > q.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
