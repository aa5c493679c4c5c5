// Reads the tool_metrics rows the runner's buffer flushed (workers/runner/src/metrics/), polling
// until they add up to the calls a test made: the flush is off the response path by design.
import { env } from 'cloudflare:test';

export type MetricRow = {
  tool: string;
  version: number;
  client_id: string;
  calls: number;
  errors: number;
  err_downstream_4xx: number;
  err_downstream_5xx: number;
  err_timeout: number;
  err_scope_refused: number;
  err_invalid_arguments: number;
  err_other: number;
  histogram: number[];
};

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
    const row = (out[tool] ??= {
      tool,
      version: Number(r.version),
      client_id: String(r.client_id),
      calls: 0,
      errors: 0,
      err_downstream_4xx: 0,
      err_downstream_5xx: 0,
      err_timeout: 0,
      err_scope_refused: 0,
      err_invalid_arguments: 0,
      err_other: 0,
      histogram: new Array<number>(24).fill(0),
    });
    for (const k of [
      'calls',
      'errors',
      'err_downstream_4xx',
      'err_downstream_5xx',
      'err_timeout',
      'err_scope_refused',
      'err_invalid_arguments',
      'err_other',
    ] as const) {
      row[k] += Number(r[k]);
    }
    row.histogram = row.histogram.map((n, i) => n + Number(r[`h${i}`]));
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
