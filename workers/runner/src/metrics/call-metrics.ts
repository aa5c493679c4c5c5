// Tool-call metrics without a storage write on the call's path (issue 15, docs/observability.md):
// each isolate adds calls into an in-memory buffer keyed by minute × server × version × tool ×
// client, and one delayed flush (waitUntil, METRICS_FLUSH_MS after the first unflushed call) adds
// the buffer to D1 in one batch of UPSERTs. Workers Analytics Engine would be the native sink,
// but locally its binding drops every data point and it has no local SQL API, so it could not
// back /v1/servers/:id/metrics under `npm start` (docs/decisions.md 2026-12-03). What an isolate
// loses if it dies between a call and its flush is at most METRICS_FLUSH_MS of its calls.
import type { ErrorKind } from '../../../../lib/api/metrics';
import { bucketOf, emptyHistogram } from '../../../../lib/metrics/latency-histogram';
import { checkAlerts } from '../alerts/check-alerts';
import {
  addToolMetricsStatement,
  purgeToolMetricsStatement,
  type MetricCounts,
  type MetricKey,
} from '../store/tool-metrics';

export const DEFAULT_FLUSH_MS = 5000;
/** docs/observability.md "Retention": the longest window (7 d) plus a day. */
export const RETENTION_MS = 8 * 24 * 3600_000;
const PURGE_EVERY_MS = 3600_000;
/** A buffer that could not be written is tried once more with the next flush, then dropped. */
const MAX_ATTEMPTS = 2;

export type MetricsDeps = {
  env: Pick<Env, 'DB' | 'ALERTS' | 'METRICS_FLUSH_MS' | 'METRICS_RECORDING'>;
  waitUntil: (p: Promise<unknown>) => void;
};

export type RecordedCall = {
  serverId: string;
  version: number;
  tool: string;
  clientId: string;
  /** null for a call that succeeded. */
  error: ErrorKind | null;
  /** null for a call refused before it ran (no latency sample: the histogram covers calls run). */
  latencyMs: number | null;
  now?: number;
};

type Entry = { key: MetricKey; counts: MetricCounts; attempts: number };

const buffer = new Map<string, Entry>();
let scheduled: Promise<void> | undefined;
let lastPurge = 0;

function zeroCounts(): MetricCounts {
  return {
    calls: 0,
    errors: {
      downstream_4xx: 0,
      downstream_5xx: 0,
      timeout: 0,
      scope_refused: 0,
      invalid_arguments: 0,
      other: 0,
    },
    latencyMsSum: 0,
    histogram: emptyHistogram(),
  };
}

function entryFor(key: MetricKey): Entry {
  const id = JSON.stringify([key.serverId, key.minute, key.version, key.tool, key.clientId]);
  let entry = buffer.get(id);
  if (!entry) {
    entry = { key, counts: zeroCounts(), attempts: 0 };
    buffer.set(id, entry);
  }
  return entry;
}

/** The error kind of a finished HTTP tool run (tools/http-tool.ts outcomes). */
export function errorKindOf(outcome: string, status?: number): ErrorKind | null {
  if (outcome === 'ok') return null;
  if (outcome === 'timeout') return 'timeout';
  if (outcome === 'downstream_error' && status !== undefined) {
    if (status >= 500) return 'downstream_5xx';
    if (status >= 400) return 'downstream_4xx';
  }
  return 'other';
}

/** Counts one tools/call; never awaits, never throws. */
export function recordCall(deps: MetricsDeps, call: RecordedCall): void {
  if (deps.env.METRICS_RECORDING === 'off') return;
  const now = call.now ?? Date.now();
  const entry = entryFor({
    serverId: call.serverId,
    minute: now - (now % 60_000),
    version: call.version,
    tool: call.tool,
    clientId: call.clientId,
  });
  const c = entry.counts;
  c.calls += 1;
  if (call.error) c.errors[call.error] += 1;
  if (call.latencyMs !== null) {
    c.latencyMsSum += call.latencyMs;
    const b = bucketOf(call.latencyMs);
    c.histogram[b] = (c.histogram[b] ?? 0) + 1;
  }
  // Only the call that schedules a flush holds it open (waitUntil): the others' counts ride along,
  // and no request waits on a promise another request's context settles.
  if (!scheduled) deps.waitUntil(schedule(deps.env));
}

function schedule(env: MetricsDeps['env']): Promise<void> {
  const parsed = Number(env.METRICS_FLUSH_MS);
  const delay = Number.isFinite(parsed) && parsed >= 0 ? parsed : DEFAULT_FLUSH_MS;
  const run = (async () => {
    await new Promise((resolve) => setTimeout(resolve, delay));
    scheduled = undefined; // calls from now on wait for the next flush
    await flush(env);
  })();
  scheduled = run;
  return run;
}

async function flush(env: MetricsDeps['env']): Promise<void> {
  const db = env.DB;
  const entries = [...buffer.values()];
  buffer.clear();
  if (entries.length === 0) return;
  const now = Date.now();
  const statements = entries.map((e) => addToolMetricsStatement(db, e.key, e.counts));
  if (now - lastPurge > PURGE_EVERY_MS) {
    lastPurge = now;
    statements.push(purgeToolMetricsStatement(db, now - RETENTION_MS));
  }
  try {
    // One D1 batch is one transaction: it lands whole or not at all, so a retry never double-counts.
    await db.batch(statements);
  } catch {
    requeue(entries);
    return;
  }
  // Only a flush with errors can newly call for an alert (alerts/alert-rules.ts).
  const erring = [
    ...new Set(entries.filter((e) => errorsIn(e.counts) > 0).map((e) => e.key.serverId)),
  ];
  if (erring.length > 0) {
    await checkAlerts(env, erring).catch(() => console.error('alert check failed'));
  }
}

const errorsIn = (c: MetricCounts) => Object.values(c.errors).reduce((a, b) => a + b, 0);

function requeue(entries: Entry[]): void {
  const retry = entries.filter((e) => e.attempts + 1 < MAX_ATTEMPTS);
  console.error('tool metrics flush failed', {
    rows: entries.length,
    dropped: entries.length - retry.length,
  });
  for (const e of retry) {
    const into = entryFor(e.key);
    into.attempts = Math.max(into.attempts, e.attempts + 1);
    addCounts(into.counts, e.counts);
  }
}

function addCounts(into: MetricCounts, from: MetricCounts): void {
  into.calls += from.calls;
  into.latencyMsSum += from.latencyMsSum;
  for (const k of Object.keys(into.errors) as ErrorKind[]) into.errors[k] += from.errors[k];
  from.histogram.forEach((n, i) => (into.histogram[i] = (into.histogram[i] ?? 0) + n));
}
