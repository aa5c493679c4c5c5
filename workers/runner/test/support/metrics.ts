// Reads the tool_metrics rows the runner's buffer flushed (workers/runner/src/metrics/), polling
// until they add up to the calls a test made: the flush is off the response path by design.
import { env } from 'cloudflare:test';
import {
  COUNT_COLUMNS,
  mergeInto,
  metricCountsOf,
  type MetricCounts,
} from '../../../../lib/metrics/latency-histogram';

export type MetricRow = { tool: string; version: number; client_id: string } & MetricCounts;

/** One summed row per tool (all minutes, versions and clients) of a server. */
export async function metricsOf(serverId: string): Promise<Record<string, MetricRow>> {
  const { results } = await env.DB.prepare(
    'SELECT * FROM tool_metrics WHERE server_id = ? ORDER BY minute',
  )
    .bind(serverId)
    .all<Record<string, number | string>>();
  const out: Record<string, MetricRow> = {};
  for (const r of results) {
    const tool = String(r.tool);
    const counts = metricCountsOf(r);
    const row = out[tool];
    if (!row) {
      out[tool] = { tool, version: Number(r.version), client_id: String(r.client_id), ...counts };
      continue;
    }
    for (const k of COUNT_COLUMNS) row[k] += counts[k];
    mergeInto(row.histogram, counts.histogram);
  }
  return out;
}

/** Polls until the server's rows count `calls` calls in all (or gives up after 5 s). */
export async function flushedMetrics(
  serverId: string,
  calls: number,
): Promise<Record<string, MetricRow>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rows = await metricsOf(serverId);
    const total = Object.values(rows).reduce((a, r) => a + r.calls, 0);
    if (total >= calls || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}
