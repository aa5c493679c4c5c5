// Reads of tool_metrics (written by the runner, workers/runner/src/store/tool-metrics.ts): the
// rows of one server in a time range, summed per tool and per series interval in SQL, so a 7-day
// window reads at most tools × 84 rows whatever the traffic was.
import {
  COUNT_COLUMNS as COUNTS,
  HISTOGRAM_COLUMNS as HIST,
  metricCountsOf,
  type MetricCounts,
} from '../../../../lib/metrics/latency-histogram';

export type MetricSlotRow = {
  tool: string;
  /** Index of the interval, from 0 at `from`. */
  slot: number;
} & MetricCounts;

const SELECT = `SELECT tool, (minute - ?) / ? AS slot,
  ${[...COUNTS, ...HIST].map((c) => `SUM(${c}) AS ${c}`).join(', ')}
  FROM tool_metrics WHERE server_id = ? AND minute >= ? AND minute < ?
  GROUP BY tool, slot`;

/** One row per tool and interval of `stepMs` in [from, to) that saw a call. */
export async function toolMetricSlots(
  db: D1Database,
  serverId: string,
  range: { from: number; to: number; stepMs: number },
): Promise<MetricSlotRow[]> {
  const { results } = await db
    .prepare(SELECT)
    .bind(range.from, range.stepMs, serverId, range.from, range.to)
    .all<Record<string, number | string>>();
  return results.map((r) => ({ tool: String(r.tool), slot: Number(r.slot), ...metricCountsOf(r) }));
}

/** A deleted server's metrics go with it (in the deletion's batch). */
export function deleteServerMetricsStatement(db: D1Database, serverId: string) {
  return db.prepare('DELETE FROM tool_metrics WHERE server_id = ?').bind(serverId);
}
