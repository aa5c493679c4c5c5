// The runner's audit rows (tool.call, resource.read), written in batches: each row joins the
// isolate's pending batch and the request that produced it holds that batch's write in its
// waitUntil, so every row is written before its own request's context may end — an isolate that
// goes away afterwards loses nothing (docs/decisions.md 2026-12-03 "Tool-call audit rows written
// in batches"). One D1 batch of N inserts costs about what one insert does (docs/architecture.md
// "Past one database"): the runner profile showed the per-call insert as the largest part of a
// tools/call's CPU. A batch is one transaction, so a retry never writes a row twice.
import { toolCallAuditStatement, type ToolCallEvent } from './store/audit';

/** How long a batch stays open for more rows after its first one. */
export const AUDIT_BATCH_MS = 20;
/** A full batch is written at once (D1 caps the statements of one batch). */
export const MAX_AUDIT_BATCH = 50;
/** A batch whose write failed is tried once more, whole. */
const ATTEMPTS = 2;

export type AuditBatchDeps = {
  env: Pick<Env, 'DB'>;
  waitUntil: (p: Promise<unknown>) => void;
};

type Batch = {
  events: ToolCallEvent[];
  /** Settles once the batch is written (or given up on): what each row's request waits for. */
  written: Promise<void>;
  /** Ends the wait for more rows now. */
  close: () => void;
};

let open: Batch | undefined;

function openBatch(db: D1Database): Batch {
  let close = () => {};
  const ready = new Promise<void>((resolve) => {
    close = resolve;
    setTimeout(resolve, AUDIT_BATCH_MS);
  });
  const batch: Batch = {
    events: [],
    close: () => close(),
    written: ready.then(() => {
      if (open === batch) open = undefined;
      return write(db, batch.events);
    }),
  };
  return batch;
}

/** Adds one event to the pending batch; the caller's waitUntil holds the batch's write. */
export function enqueueAudit(deps: AuditBatchDeps, event: ToolCallEvent): void {
  const batch = (open ??= openBatch(deps.env.DB));
  batch.events.push({ ...event, now: event.now ?? Date.now() });
  deps.waitUntil(batch.written);
  if (batch.events.length >= MAX_AUDIT_BATCH) {
    open = undefined;
    batch.close();
  }
}

async function write(db: D1Database, events: ToolCallEvent[]): Promise<void> {
  const statements = events.map((e) => toolCallAuditStatement(db, e));
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      await db.batch(statements);
      return;
    } catch {
      if (attempt === ATTEMPTS) {
        const tools = [...new Set(events.map((e) => e.metadata.tool).filter(Boolean))];
        console.error('audit write failed', { rows: events.length, tools });
      }
    }
  }
}
