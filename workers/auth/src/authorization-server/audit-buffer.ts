// Audit events of the client_credentials hot path, written in groups through the shared batcher
// (lib/db/statement-batches.ts): up to 50 events or 50 ms per isolate in one D1 batch after the
// response, each request holding its group's write in its waitUntil, a failed group tried once
// more. One commit per group instead of per token roughly doubles token throughput on D1
// (docs/oauth.md "Audit"). Every flow with a state change (codes, grants, refresh rotation,
// revocation) writes its events in the same batch as the change instead.
import { statementBatcher } from '../../../../lib/db/statement-batches';
import { type AuditInput, auditStatement } from '../store/audit';

const enqueue = statementBatcher<AuditInput, D1PreparedStatement, D1Database>({
  windowMs: 50,
  maxRows: 50,
  statement: (db, event) => auditStatement(db, event),
  onGiveUp: (events) => console.error('audit flush failed', { events: events.length }),
});

export function bufferAudit(
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  db: D1Database,
  event: Omit<AuditInput, 'now'>,
  now: number,
): void {
  enqueue((p) => ctx.waitUntil(p), db, { ...event, now });
}
