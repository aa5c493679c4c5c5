// GET /v1/servers/:id/metrics?window=1h|24h|7d (DESIGN §9 "Observability"; docs/api.md): per-tool
// totals with errors by kind and p50/p95 latency, and a zero-filled series at 1 min, 15 min or
// 2 h per point. Percentiles come from the summed fixed-bucket histograms of the rows in range
// (lib/metrics/latency-histogram.ts), never from averages. Any member of the org may read it.
import type { Context } from 'hono';
import {
  ERROR_KINDS,
  MetricsQuerySchema,
  WINDOW_SHAPE,
  type ErrorsByKind,
  type ServerMetrics,
} from '../../../../../lib/api/metrics';
import { emptyHistogram, mergeInto, quantile } from '../../../../../lib/metrics/latency-histogram';
import type { AppEnv } from '../../app-env';
import { describeRoute } from '../../openapi';
import { toolMetricSlots, type MetricSlotRow } from '../../store/tool-metrics';
import { pathParam } from '../path-param';
import { readQuery } from '../request-body';
import { ownAnyServer } from './access';

describeRoute('GET', '/v1/servers/:id/metrics', {
  summary: 'Tool-call metrics over 1h, 24h or 7d: per-tool totals, errors by kind, p50/p95, series',
});

type Sum = { calls: number; errors: number; byKind: ErrorsByKind; histogram: number[] };

const emptySum = (): Sum => ({
  calls: 0,
  errors: 0,
  byKind: Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as ErrorsByKind,
  histogram: emptyHistogram(),
});

function add(into: Sum, row: MetricSlotRow): void {
  into.calls += row.calls;
  into.errors += row.errors;
  for (const k of ERROR_KINDS) into.byKind[k] += row[`err_${k}`];
  mergeInto(into.histogram, row.histogram);
}

const latency = (s: Sum) => ({
  p50Ms: quantile(s.histogram, 0.5),
  p95Ms: quantile(s.histogram, 0.95),
});

export async function get(c: Context<AppEnv>): Promise<Response> {
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  const { window } = readQuery(c, MetricsQuerySchema);
  const { minutes, stepMinutes } = WINDOW_SHAPE[window];
  const stepMs = stepMinutes * 60_000;
  // The last interval is the one now falls in, so the newest calls are always on the chart.
  const to = Math.floor(Date.now() / stepMs) * stepMs + stepMs;
  const from = to - minutes * 60_000;
  const slots = minutes / stepMinutes;
  const rows = await toolMetricSlots(c.env.DB, server.id, { from, to, stepMs });

  const total = emptySum();
  const perSlot = Array.from({ length: slots }, emptySum);
  const perTool = new Map<string, { sum: Sum; spark: number[] }>();
  for (const row of rows) {
    add(total, row);
    const slot = perSlot[row.slot];
    if (slot) add(slot, row);
    let tool = perTool.get(row.tool);
    if (!tool) {
      tool = { sum: emptySum(), spark: new Array<number>(slots).fill(0) };
      perTool.set(row.tool, tool);
    }
    add(tool.sum, row);
    if (row.slot >= 0 && row.slot < slots)
      tool.spark[row.slot] = (tool.spark[row.slot] ?? 0) + row.calls;
  }

  const body: ServerMetrics = {
    window,
    stepMs,
    from,
    to,
    totals: {
      calls: total.calls,
      errors: total.errors,
      errorsByKind: total.byKind,
      ...latency(total),
    },
    tools: [...perTool.entries()]
      .sort(([a, x], [b, y]) => y.sum.calls - x.sum.calls || a.localeCompare(b))
      .map(([name, { sum, spark }]) => ({
        name,
        calls: sum.calls,
        errors: sum.errors,
        errorsByKind: sum.byKind,
        ...latency(sum),
        spark,
      })),
    series: perSlot.map((s, i) => ({
      t: from + i * stepMs,
      calls: s.calls,
      errors: s.errors,
      ...latency(s),
    })),
  };
  return c.json(body, 200, { 'cache-control': 'no-store' });
}
