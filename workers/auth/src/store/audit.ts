// audit_events: the one writer lives in lib/db/audit.ts (the runner writes with it too); this
// module adds the audit log's reads.
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { type AuditEvent, auditEvents } from '../../../../lib/db/schema';
import { orm } from './orm';

export {
  type AuditInput,
  type AuditWhen,
  type Guard,
  auditStatement,
  writeAudit,
} from '../../../../lib/db/audit';

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

/** Newest first; returns one page and the cursor of the next one, if any. */
export async function listAudit(
  db: D1Database,
  q: AuditQuery,
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  const where: (SQL | undefined)[] = [eq(auditEvents.orgId, q.orgId)];
  if (q.action !== undefined) {
    // "user.*" matches every action under "user."
    const prefix = q.action.endsWith('.*') ? q.action.slice(0, -1) : undefined;
    where.push(
      prefix
        ? eq(sql`substr(${auditEvents.action}, 1, ${prefix.length})`, prefix)
        : eq(auditEvents.action, q.action),
    );
  }
  if (q.actor !== undefined) where.push(eq(auditEvents.actor, q.actor));
  if (q.resource !== undefined) where.push(eq(auditEvents.resource, q.resource));
  if (q.since !== undefined) where.push(gte(auditEvents.ts, q.since));
  if (q.until !== undefined) where.push(lt(auditEvents.ts, q.until));
  if (q.cursor !== undefined) where.push(lt(auditEvents.id, q.cursor));
  const results = await orm(db)
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(q.limit + 1)
    .all();
  const events = results.slice(0, q.limit);
  return {
    events,
    nextCursor: results.length > q.limit ? (events.at(-1)?.id ?? null) : null,
  };
}
