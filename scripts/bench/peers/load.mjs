// The one load generator of `npm run bench:peers`: `connections` loops, each sending one request
// at a time over Node's fetch (undici, keep-alive per origin), until `seconds` pass or `max`
// requests started. Every system and phase goes through it, so the client's cost is the same.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { procStatTicks } from './stats.mjs';

/** A request not answered in this long counts as 'timeout' (a failure, like a 5xx). */
export const REQUEST_TIMEOUT_MS = 10_000;

const timeout = () => new Promise((r) => setTimeout(r, REQUEST_TIMEOUT_MS, 'timeout').unref());

/** Runs `request(conn)` → HTTP status on every connection; returns one round for stats.mjs. */
export async function runPhase({ connections, seconds, max, request }) {
  const latencies = [];
  const statuses = {};
  const end = performance.now() + seconds * 1000;
  let started = 0;
  const loop = async (conn) => {
    while (performance.now() < end && started < max) {
      started++;
      const t0 = performance.now();
      let status;
      try {
        status = await Promise.race([request(conn), timeout()]);
      } catch {
        status = 'error';
      }
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
  return { count: latencies.length, seconds: (performance.now() - t0) / 1000, latencies, statuses };
}

/** Reads a response body to the end (so the connection is reused) and returns the status. */
export const drain = async (res) => (await res.arrayBuffer(), res.status);

function processTable() {
  try {
    return execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,comm='], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .map(([p, pp, rss, comm]) => ({ pid: +p, ppid: +pp, rss: +rss, comm }));
  } catch {
    return [];
  }
}

/** The workerd processes below `pid` (Linux `ps`). */
export function workerdPids(pid) {
  const rows = processTable();
  const under = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows)
      if (under.has(r.ppid) && !under.has(r.pid)) {
        under.add(r.pid);
        grew = true;
      }
  }
  return rows.filter((r) => under.has(r.pid) && r.comm.startsWith('workerd')).map((r) => r.pid);
}

/** Resident memory (MB) of `pids` now; NaN when none is running. */
export function rssMb(pids) {
  const kb = processTable()
    .filter((r) => pids.includes(r.pid))
    .reduce((n, r) => n + r.rss, 0);
  return kb > 0 ? kb / 1024 : NaN;
}

/** Clock ticks per second of /proc/<pid>/stat (sysconf(_SC_CLK_TCK), 100 on Linux). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, ms) `pids` have used so far, threads included; NaN if unreadable. */
export function cpuMs(pids) {
  if (pids.length === 0) return NaN;
  try {
    const ticks = pids.reduce(
      (n, p) => n + procStatTicks(readFileSync(`/proc/${p}/stat`, 'utf8')),
      0,
    );
    return (ticks * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}
