// The runner's writes to tool_metrics (docs/observability.md): one UPSERT per buffered key that
// adds its counts and histogram to the minute's row, and the retention purge. Raw SQL because an
// ejected server answers these statements by their text (cli/eject-template/src/platform-bindings.ts).
import { COUNT_COLUMNS, HISTOGRAM_COLUMNS } from '../../../../lib/metrics/latency-histogram';
import type { ErrorKind } from '../../../../lib/api/metrics';

export type MetricKey = {
  serverId: string;
  minute: number;
  version: number;
  tool: string;
  clientId: string;
};

export type MetricCounts = {
  calls: number;
  errors: Record<ErrorKind, number>;
  latencyMsSum: number;
  histogram: number[];
};

const ADDED = [...COUNT_COLUMNS, 'latency_ms_sum', ...HISTOGRAM_COLUMNS];
const COLUMNS = ['server_id', 'minute', 'version', 'tool', 'client_id', ...ADDED];

const UPSERT = `INSERT INTO tool_metrics (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (server_id, minute, version, tool, client_id) DO UPDATE SET
  ${ADDED.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;

export function addToolMetricsStatement(
  db: D1Database,
  key: MetricKey,
  counts: MetricCounts,
): D1PreparedStatement {
  const e = counts.errors;
  const errors = Object.values(e).reduce((a, b) => a + b, 0);
  return db
    .prepare(UPSERT)
    .bind(
      key.serverId,
      key.minute,
      key.version,
      key.tool,
      key.clientId,
      counts.calls,
      errors,
      e.downstream_4xx,
      e.downstream_5xx,
      e.timeout,
      e.scope_refused,
      e.invalid_arguments,
      e.other,
      Math.round(counts.latencyMsSum),
      ...counts.histogram,
    );
}

/** Rows older than the retention (docs/observability.md "Retention"). */
export function purgeToolMetricsStatement(db: D1Database, before: number): D1PreparedStatement {
  return db.prepare('DELETE FROM tool_metrics WHERE minute < ?').bind(before);
}
