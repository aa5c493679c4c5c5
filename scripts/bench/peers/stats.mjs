// Pure helpers of `npm run bench:peers`: percentiles, the spread across rounds and Moat's ratio to
// each peer. No I/O here, so scripts/bench/peers/stats.test.ts checks them in Node.

/** The p-th percentile (nearest rank) of an ascending array; NaN when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Median of numbers (any order); NaN when empty. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Spread of per-round rates: (max − min) / median, as a fraction (0 for one round). */
export function spread(values) {
  if (values.length < 2) return 0;
  const m = median(values);
  return m > 0 ? (Math.max(...values) - Math.min(...values)) / m : 0;
}

/**
 * utime + stime (clock ticks) from the text of /proc/<pid>/stat (proc(5): fields 14 and 15). The
 * command name (field 2) is in parentheses and may hold spaces, so fields count from its last `)`.
 */
export function procStatTicks(text) {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks : NaN;
}

/** CPU ms per answered request over all rounds (each round's `cpuMs` delta); NaN without CPU. */
export function cpuPerRequest(rounds) {
  const measured = rounds.filter((r) => Number.isFinite(r.cpuMs));
  const count = measured.reduce((n, r) => n + r.count, 0);
  if (measured.length === 0 || count === 0) return NaN;
  return measured.reduce((n, r) => n + r.cpuMs, 0) / count;
}

/**
 * One system's phase over all rounds: `rounds` holds { count, seconds, latencies, statuses,
 * cpuMs? } per round. The rate is the median of the per-round rates (noise shows in `spread`, not
 * the result); p50/p99 are over every request of every round; `cpu` is CPU ms per request.
 */
export function summarize(rounds) {
  const rates = rounds.map((r) => (r.seconds > 0 ? r.count / r.seconds : 0));
  const all = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const statuses = {};
  for (const r of rounds)
    for (const [s, n] of Object.entries(r.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  const fivexx = Object.entries(statuses)
    .filter(([s]) => s === 'error' || s === 'timeout' || Number(s) >= 500)
    .reduce((n, [, c]) => n + c, 0);
  return {
    rps: median(rates),
    spread: spread(rates),
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    count: all.length,
    cpu: cpuPerRequest(rounds),
    statuses,
    fivexx,
  };
}

/** Moat's throughput over each peer's, for the systems that ran the phase ('—' otherwise). */
export function ratios(bySystem, subject, peers) {
  const own = bySystem[subject];
  return Object.fromEntries(
    peers.map((p) => {
      const other = bySystem[p];
      if (!own || !other || !(other.rps > 0)) return [p, '—'];
      return [p, `${(own.rps / other.rps).toFixed(2)}×`];
    }),
  );
}

/** Moat's CPU per request over each peer's (above 1: Moat spends more), '—' where not measured. */
export function cpuRatios(bySystem, subject, peers) {
  const own = bySystem[subject];
  return Object.fromEntries(
    peers.map((p) => {
      const other = bySystem[p];
      if (!(own?.cpu > 0) || !(other?.cpu > 0)) return [p, '—'];
      return [p, `${(own.cpu / other.cpu).toFixed(2)}×`];
    }),
  );
}
