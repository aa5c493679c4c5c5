// The runner's audit rows (tool.call, resource.read), written in batches through the shared
// batcher (lib/db/statement-batches.ts: each request holds its batch's write in its waitUntil, so
// nothing is lost when the isolate goes away). The runner profile showed the per-call insert as
// the largest part of a tools/call's CPU (docs/benchmarks.md "The runner's tool call").
import { statementBatcher } from '../../../lib/db/statement-batches';
import { toolCallAuditStatement, type ToolCallEvent } from './store/audit';

/** How long a batch stays open for more rows after its first one. */
export const AUDIT_BATCH_MS = 20;
/** A full batch is written at once (D1 caps the statements of one batch). */
export const MAX_AUDIT_BATCH = 50;

export type AuditBatchDeps = {
  env: Pick<Env, 'DB'>;
  waitUntil: (p: Promise<unknown>) => void;
};

const enqueue = statementBatcher<ToolCallEvent, D1PreparedStatement, D1Database>({
  windowMs: AUDIT_BATCH_MS,
  maxRows: MAX_AUDIT_BATCH,
  statement: toolCallAuditStatement,
  onGiveUp: (events) => {
    const tools = [...new Set(events.map((e) => e.metadata.tool).filter(Boolean))];
    console.error('audit write failed', { rows: events.length, tools });
  },
});

/** Adds one event to the pending batch; the caller's waitUntil holds the batch's write. */
export function enqueueAudit(deps: AuditBatchDeps, event: ToolCallEvent): void {
  enqueue(deps.waitUntil, deps.env.DB, { ...event, now: event.now ?? Date.now() });
}
