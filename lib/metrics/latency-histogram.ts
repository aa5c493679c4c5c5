// A fixed log-scale latency histogram, shared by the runner (which counts calls into it) and the
// control plane (which merges stored ones and reads percentiles off them). Fixed bounds make
// histograms addable: a D1 UPSERT adds bucket to bucket, and any set of minutes, tools or
// clients merges by summing (docs/observability.md "Percentiles").

/**
 * Upper bounds (exclusive, ms) of every bucket but the last, which holds everything slower.
 * Roughly ×1.6 per step from 1 ms to 30 s, so a percentile read off a bucket is within about
 * ±25 % of the true value.
 */
export const LATENCY_BOUNDS_MS = [
  1, 2, 3, 5, 8, 12, 20, 30, 50, 80, 120, 200, 300, 500, 800, 1200, 2000, 3000, 5000, 8000, 12000,
  20000, 30000,
] as const;

/** How many buckets a histogram has: one per bound plus the overflow bucket. */
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

export type LatencyHistogram = number[];

export function emptyHistogram(): LatencyHistogram {
  return new Array<number>(LATENCY_BUCKETS).fill(0);
}

/** The bucket a latency falls into: the first whose upper bound is above it. */
export function bucketOf(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => ms < bound);
  return i === -1 ? LATENCY_BOUNDS_MS.length : i;
}

/** Adds `from` into `into`, bucket by bucket. */
export function mergeInto(into: LatencyHistogram, from: readonly number[]): LatencyHistogram {
  for (let i = 0; i < LATENCY_BUCKETS; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

/**
 * The q-quantile (0 < q ≤ 1) in ms, or null for an empty histogram. The rank's bucket is found
 * by its cumulative count and the value interpolated linearly inside it (the method Prometheus'
 * histogram_quantile uses); the overflow bucket answers its lower bound, the only bound it has.
 */
export function quantile(hist: readonly number[], q: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < LATENCY_BUCKETS; i++) {
    const count = hist[i] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const lower = i === 0 ? 0 : (LATENCY_BOUNDS_MS[i - 1] ?? 0);
      const upper = LATENCY_BOUNDS_MS[i];
      if (upper === undefined) return lower;
      const value = lower + (upper - lower) * ((rank - seen) / count);
      return Math.round(value * 10) / 10;
    }
    seen += count;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1] ?? null;
}

/** tool_metrics' histogram columns, one per bucket: `h0` … `h{LATENCY_BUCKETS - 1}`. */
export const HISTOGRAM_COLUMNS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `h${i}`);

/** tool_metrics' counter columns: the ones the runner adds to and the control plane sums. */
export const COUNT_COLUMNS = [
  'calls',
  'errors',
  'err_downstream_4xx',
  'err_downstream_5xx',
  'err_timeout',
  'err_scope_refused',
  'err_invalid_arguments',
  'err_other',
] as const;

/** A tool_metrics row's counters and histogram (or the sum of several rows'). */
export type MetricCounts = Record<(typeof COUNT_COLUMNS)[number], number> & {
  histogram: LatencyHistogram;
};

/** The counters and histogram of a row D1 returned with COUNT_COLUMNS and HISTOGRAM_COLUMNS. */
export function metricCountsOf(row: Record<string, unknown>): MetricCounts {
  const counts = Object.fromEntries(COUNT_COLUMNS.map((c) => [c, Number(row[c] ?? 0)]));
  return {
    ...(counts as Record<(typeof COUNT_COLUMNS)[number], number>),
    histogram: HISTOGRAM_COLUMNS.map((h) => Number(row[h] ?? 0)),
  };
}
