#!/usr/bin/env node
// `npm run bench:auth`: token endpoint throughput and latency on this machine. Starts the platform
// as `npm start` does (free ports on 127.0.0.1, a temporary state directory), sets up an owner,
// a hosted server, a client_credentials client and one refresh chain per connection, then runs
// each phase for a bounded time and count:
//   baseline            GET /api/health (one D1 read, one KV read)
//   client_credentials  POST /token, client_secret_basic
//   refresh_token       POST /token, each connection rotating its own chain
// Prints requests/s, p50/p99 and their ratios to the baseline; exits 1 on any 5xx.
//   --seconds N (default 8, max 30)  --connections N (default 16, max 64)
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { parseArgs } from 'node:util';
import { startPlatform } from './platform.mjs';
import { form, setupOwner } from './soak-setup.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '16' },
  },
});
const SECONDS = Math.min(30, Math.max(1, Number(args.seconds)));
const CONNECTIONS = Math.min(64, Math.max(1, Number(args.connections)));
const MAX_REQUESTS = 50_000;
function percentile(sorted, p) {
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    : NaN;
}

/** Runs `request(connection)` on every connection until the time or count bound. */
async function phase(name, request) {
  const latencies = [];
  const statuses = new Map();
  const end = performance.now() + SECONDS * 1000;
  let started = 0;
  const worker = async (conn) => {
    while (performance.now() < end && started < MAX_REQUESTS) {
      started++;
      const t0 = performance.now();
      let status;
      try {
        status = await request(conn);
      } catch {
        status = 'error';
      }
      latencies.push(performance.now() - t0);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => worker(i)));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const fivexx = [...statuses]
    .filter(([s]) => s === 'error' || s >= 500)
    .reduce((n, [, c]) => n + c, 0);
  return {
    name,
    count: latencies.length,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses: Object.fromEntries(statuses),
    fivexx,
  };
}

const platform = await startPlatform();
let failed = false;
try {
  const { issuer } = platform;
  const { server, machine, app, chains } = await setupOwner(issuer, {
    connections: CONNECTIONS,
    toolUrl: 'http://127.0.0.1:9/ping',
  });
  const basic = `Basic ${Buffer.from(`${machine.client_id}:${machine.client_secret}`).toString('base64')}`;
  const ccBody = new URLSearchParams({
    grant_type: 'client_credentials',
    resource: server.url,
    scope: 'mcp:read',
  }).toString();

  const health = () =>
    fetch(`${issuer}/api/health`).then(async (r) => (await r.arrayBuffer(), r.status));
  const cc = () =>
    fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: ccBody,
    }).then(async (r) => (await r.arrayBuffer(), r.status));
  const refresh = async (conn) => {
    const r = await fetch(
      `${issuer}/token`,
      form({ grant_type: 'refresh_token', client_id: app.client_id, refresh_token: chains[conn] }),
    );
    const body = await r.json();
    if (r.status === 200) chains[conn] = body.refresh_token;
    return r.status;
  };

  // Warm the isolates (signing key, caches) before measuring.
  for (let i = 0; i < 20; i++) await Promise.all([health(), cc()]);

  const results = [
    await phase('baseline GET /api/health', health),
    await phase('client_credentials', cc),
    await phase('refresh_token', refresh),
  ];
  const base = results[0];
  console.log(
    `\nbench:auth — ${cpus().length} CPUs, ${CONNECTIONS} connections, ${SECONDS} s per phase, 127.0.0.1\n`,
  );
  console.log(
    'phase                       requests      req/s   p50 ms   p99 ms   ×base req/s  ×base p50   5xx',
  );
  for (const r of results) {
    console.log(
      [
        r.name.padEnd(26),
        String(r.count).padStart(9),
        r.rps.toFixed(0).padStart(10),
        r.p50.toFixed(1).padStart(8),
        r.p99.toFixed(1).padStart(8),
        (r.rps / base.rps).toFixed(2).padStart(13),
        (r.p50 / base.p50).toFixed(2).padStart(10),
        String(r.fivexx).padStart(5),
      ].join(' '),
    );
  }
  for (const r of results) {
    const other = Object.entries(r.statuses).filter(([s]) => s !== '200');
    if (other.length)
      console.log(`  ${r.name}: non-200 answers ${JSON.stringify(Object.fromEntries(other))}`);
    if (r.fivexx > 0) failed = true;
  }
  const grants = results.slice(1).map((r) => r.rps);
  console.log(
    `\ngrants/s: client_credentials ${grants[0].toFixed(0)}, refresh_token ${grants[1].toFixed(0)} (target ≥ 240)`,
  );
} finally {
  await platform.stop();
}
if (failed) {
  console.error('bench:auth: 5xx answers seen');
  process.exitCode = 1;
}
