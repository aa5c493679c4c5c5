// GET /v1/servers/:id/metrics (DESIGN §9 "Observability shapes"): per-tool totals and a time
// series over a window, read from the runner's per-minute tool_metrics rows
// (docs/observability.md). Latencies are percentiles of merged fixed-bucket histograms.
import { z } from 'zod';

/** Why a tools/call counted as an error; the runner assigns exactly one kind per failed call. */
export const ERROR_KINDS = [
  'downstream_4xx',
  'downstream_5xx',
  'timeout',
  'scope_refused',
  'invalid_arguments',
  'other',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const METRICS_WINDOWS = ['1h', '24h', '7d'] as const;
export type MetricsWindow = (typeof METRICS_WINDOWS)[number];

/** How long each window is and the width of one series point, in minutes. */
export const WINDOW_SHAPE: Record<MetricsWindow, { minutes: number; stepMinutes: number }> = {
  '1h': { minutes: 60, stepMinutes: 1 },
  '24h': { minutes: 24 * 60, stepMinutes: 15 },
  '7d': { minutes: 7 * 24 * 60, stepMinutes: 120 },
};

export const MetricsQuerySchema = z.strictObject({
  window: z.enum(METRICS_WINDOWS).default('24h'),
});

const Count = z.number().int().nonnegative();
const Millis = z.number().nonnegative().nullable();

export const ErrorsByKindSchema = z.strictObject({
  downstream_4xx: Count,
  downstream_5xx: Count,
  timeout: Count,
  scope_refused: Count,
  invalid_arguments: Count,
  other: Count,
});

export const ToolMetricsSchema = z.strictObject({
  name: z.string(),
  calls: Count,
  errors: Count,
  errorsByKind: ErrorsByKindSchema,
  /** null when the tool had no call in the window. */
  p50Ms: Millis,
  p95Ms: Millis,
  /** Calls per series point, oldest first, for the table's sparkline. */
  spark: z.array(Count),
});

export const MetricsPointSchema = z.strictObject({
  /** Start of the point's interval (epoch ms). */
  t: z.number().int(),
  calls: Count,
  errors: Count,
  p50Ms: Millis,
  p95Ms: Millis,
});

export const ServerMetricsSchema = z.strictObject({
  window: z.enum(METRICS_WINDOWS),
  /** Width of one series point (ms). */
  stepMs: z.number().int().positive(),
  from: z.number().int(),
  to: z.number().int(),
  totals: z.strictObject({
    calls: Count,
    errors: Count,
    errorsByKind: ErrorsByKindSchema,
    p50Ms: Millis,
    p95Ms: Millis,
  }),
  tools: z.array(ToolMetricsSchema),
  /** Every interval of the window, oldest first, zero-filled. */
  series: z.array(MetricsPointSchema),
});

export type ErrorsByKind = z.infer<typeof ErrorsByKindSchema>;
export type ToolMetrics = z.infer<typeof ToolMetricsSchema>;
export type MetricsPoint = z.infer<typeof MetricsPointSchema>;
export type ServerMetrics = z.infer<typeof ServerMetricsSchema>;
