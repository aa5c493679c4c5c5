#!/usr/bin/env node
// `npm run bench:runner`: what edge authorization costs on the tools/call path, and the runner's
// bundle size. Three runner bundles run the same code on embedded Miniflare (workerd), side by
// side in every round so machine noise hits them alike:
//   full     the real bundle: RS256 verification + the revocation check (rules in the isolate,
//            re-read from D1 every REVOCATION_POLL_SECONDS) + the SSE stream guard;
//   no-rev   the revocation list and stream guard swapped for stand-ins: verification only;
//   no-auth  the verifier swapped for a decode-only stand-in as well: neither.
// A fourth, `no-metrics`, is the full bundle with tool-call metrics recording off
// (METRICS_RECORDING = "off", a binding only this bench sets; docs/observability.md): the
// recording's cost is full / no-metrics, measured in the same rounds.
// The swaps are the bench's own harness (scripts/bench/substitutes.mjs, esbuild plugins at bundle
// time); shipped code has no switch that turns either check off. Each serves one
// hosted server whose tool calls a local downstream API on 127.0.0.1 with a secret header; D1
// holds `--rules` live revocation rules that do not match the bench token (each request is
// checked against all of them). One run prints p50/p99 latency, throughput, CPU ms per call (each
// variant's own workerd, /proc utime + stime over its rounds ÷ its calls) and the ratios.
//
//   --calls N        tools/call per round and variant (default 75)
//   --concurrency N  in-flight calls per variant (default 8)
//   --rounds N       rounds (default 16)
//   --rules N        live revocation rules in D1 (default 1000)
//   --control        A/A/A/A run: all four bundles are the full one, to show the noise floor
import { createServer } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { root } from '../lib/workers.mjs';
import { cpuMs, workerdPids } from './peers/load.mjs';
import {
  DOWNSTREAM_SECRET,
  mcpHeaders,
  mcpRequest,
  openSession,
  SLUG,
  startRunner,
  token,
} from './runner-fixture.mjs';
import { benchPlugins } from './substitutes.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '75' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '16' },
    rules: { type: 'string', default: '1000' },
    control: { type: 'boolean', default: false },
  },
});
const CALLS = Number(args.calls);
const CONCURRENCY = Number(args.concurrency);
const ROUNDS = Number(args.rounds);
const RULES = Number(args.rules);

// --- bundle size: as `wrangler deploy` uploads it (not minified) and minified; gzip both --------
const bundleOptions = {
  entryPoints: [join(root, 'workers/runner/src/index.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  target: 'es2024',
  conditions: ['workerd', 'worker', 'browser', 'import', 'default'],
  mainFields: ['browser', 'module', 'main'],
  external: ['cloudflare:*', 'node:*'],
  logLevel: 'error',
};
const plain = (await build(bundleOptions)).outputFiles[0].contents;
const bundleBytes = (await build({ ...bundleOptions, minify: true })).outputFiles[0].contents;
const gzipBytes = gzipSync(bundleBytes, { level: 9 }).length;
const plainGzip = gzipSync(plain, { level: 9 }).length;

// --- local downstream API -----------------------------------------------------------------------
let downstreamHits = 0;
const downstream = createServer((req, res) => {
  downstreamHits++;
  const ok = req.headers['x-api-key'] === DOWNSTREAM_SECRET;
  res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok, city: new URL(req.url, 'http://x').searchParams.get('city') }));
});
await new Promise((r) => downstream.listen(0, '127.0.0.1', r));
const downstreamOrigin = `http://127.0.0.1:${downstream.address().port}`;

async function startVariant(name, plugins, env = {}) {
  const before = new Set(workerdPids(process.pid));
  const v = await startRunner({ name, plugins, env, rules: RULES, downstreamOrigin });
  return { ...v, pids: workerdPids(process.pid).filter((p) => !before.has(p)) };
}

async function callOnce(base, t, session, id) {
  const started = performance.now();
  const res = await fetch(`${base}/${SLUG}/mcp`, {
    method: 'POST',
    headers: mcpHeaders(t, session),
    body: mcpRequest('tools/call', id),
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('\\"ok\\":true')) {
    throw new Error(`tools/call: ${res.status} ${text.slice(0, 300)}`);
  }
  return performance.now() - started;
}

async function round(v, t, session, calls) {
  const latencies = [];
  let next = 0;
  const cpuBefore = cpuMs(v.pids);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < calls) latencies.push(await callOnce(v.base, t, session, next++));
    }),
  );
  return {
    latencies,
    seconds: (performance.now() - started) / 1000,
    cpu: cpuMs(v.pids) - cpuBefore,
  };
}

const pct = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const NAMES = ['full', 'no-rev', 'no-auth', 'no-metrics'];
const variants = {
  full: await startVariant('runner-full', benchPlugins.full),
  'no-rev': await startVariant(
    'runner-no-revocation',
    benchPlugins[args.control ? 'full' : 'no-rev'],
  ),
  'no-auth': await startVariant('runner-no-auth', benchPlugins[args.control ? 'full' : 'no-auth']),
  'no-metrics': await startVariant(
    'runner-no-metrics',
    benchPlugins.full,
    args.control ? {} : { METRICS_RECORDING: 'off' },
  ),
};
let recorded = 0;
const results = Object.fromEntries(
  NAMES.map((n) => [n, { lat: [], seconds: 0, calls: 0, cpu: 0 }]),
);
try {
  const t = await token();
  const sessions = {};
  for (const [name, v] of Object.entries(variants)) {
    sessions[name] = await openSession(v.base, t);
    await round(v, t, sessions[name], 50); // warm-up: isolate caches, JIT, D1 statements
  }
  // All four run at the same time in every round, so a busy machine slows them alike.
  for (let r = 0; r < ROUNDS; r++) {
    const done = await Promise.all(
      NAMES.map((name) => round(variants[name], t, sessions[name], CALLS)),
    );
    done.forEach(({ latencies, seconds, cpu }, i) => {
      const into = results[NAMES[i]];
      into.lat.push(...latencies);
      into.seconds += seconds;
      into.cpu += cpu;
      into.calls += latencies.length;
    });
  }
  // What the full variant's metrics flushes wrote (the last few seconds may still be buffered).
  await new Promise((r) => setTimeout(r, 6000));
  recorded =
    (await variants.full.db.prepare('SELECT SUM(calls) AS n FROM tool_metrics').first())?.n ?? 0;
} finally {
  await Promise.all(Object.values(variants).map((v) => v.mf.dispose()));
  downstream.close();
}

const summary = {};
for (const [name, r] of Object.entries(results)) {
  const sorted = r.lat.sort((a, b) => a - b);
  summary[name] = {
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    rps: r.calls / r.seconds,
    calls: r.calls,
    cpu: r.cpu / r.calls,
  };
}
const f = (n) => n.toFixed(2).padStart(8);
console.log(
  `tools/call to a local downstream, ${ROUNDS} rounds × ${CALLS} calls per variant, four variants side by side, concurrency ${CONCURRENCY} each, ${RULES} live revocation rules${args.control ? ' (control: all four are the full bundle, recording on)' : ''}`,
);
console.log(`                                    p50 ms   p99 ms    calls/s  cpu ms/call`);
const row = (label, s) =>
  console.log(`  ${label.padEnd(32)}${f(s.p50)} ${f(s.p99)} ${f(s.rps)} ${f(s.cpu)}`);
row('full (verify + revocation)', summary.full);
row('revocation off (verify only)', summary['no-rev']);
row('no edge auth', summary['no-auth']);
row('full, metrics recording off', summary['no-metrics']);
const ratio = (a, b) =>
  `p50 ×${(summary[a].p50 / summary[b].p50).toFixed(3)}, throughput ×${(summary[a].rps / summary[b].rps).toFixed(3)}`;
console.log(`  revocation on / off:   ${ratio('full', 'no-rev')}`);
console.log(`  verification on / off: ${ratio('no-rev', 'no-auth')}`);
console.log(`  all edge auth on / off: ${ratio('full', 'no-auth')} (target: p50 within 5 %)`);
// Issue 16: the runner's auth at most 5% of a tool call, in CPU (workerd's utime + stime).
const authShare = (summary.full.cpu - summary['no-auth'].cpu) / summary.full.cpu;
console.log(
  `  edge auth's share of a tool call's CPU: ${(authShare * 100).toFixed(1)} % (${summary.full.cpu.toFixed(2)} − ${summary['no-auth'].cpu.toFixed(2)} ms; target ≤ 5 %)`,
);
console.log(
  `  metrics recording on / off: ${ratio('full', 'no-metrics')}, p99 ×${(summary.full.p99 / summary['no-metrics'].p99).toFixed(3)}; added p50 ${(summary.full.p50 - summary['no-metrics'].p50).toFixed(3)} ms per call`,
);
console.log(`  tool calls counted in tool_metrics by the full variant: ${recorded}`);
console.log(`  downstream requests: ${downstreamHits}`);

// The in-isolate part of the revocation check, alone: one token against RULES live rules (the scan
// every request and every streamed event does), in Node on this machine, free of end-to-end noise.
await build({
  entryPoints: [join(root, 'lib/tokens/revocation.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: join(root, 'dist/bench/revocation.mjs'),
  logLevel: 'error',
});
const { revokes } = await import(join(root, 'dist/bench/revocation.mjs'));
const at = Date.now();
const rules = Array.from({ length: RULES }, (_, i) => ({
  serverId: i % 3 === 0 ? `srv_other${i}` : null,
  orgId: i % 3 === 1 ? 'org_b' : null,
  sub: i % 3 === 1 ? `usr_other${i}` : null,
  grantId: i % 3 === 2 ? `gr_other${i}` : null,
  issuedBefore: at,
  expiresAt: at + 3_660_000,
}));
const presented = {
  sub: 'usr_bench',
  clientId: 'cl_bench',
  grantId: 'gr_bench',
  serverId: 'srv_b',
  orgId: 'org_b',
  iat: Math.floor(at / 1000) - 60,
};
const checks = 20_000;
let hits = 0;
const scanStarted = performance.now();
for (let i = 0; i < checks; i++) if (rules.some((r) => revokes(r, presented))) hits++;
const scanUs = ((performance.now() - scanStarted) * 1000) / checks;
if (hits !== 0) throw new Error('a bench rule matched the bench token');
console.log(`  revocation scan in the isolate: ${scanUs.toFixed(1)} µs per check (${RULES} rules)`);

// The in-isolate part of metrics recording, alone: what recordCall adds to one tools/call (the
// buffer update and the flush scheduling; the flush itself runs after the response). In Node,
// with a stand-in D1 whose batch does nothing, so only the recording's own work is timed.
await build({
  entryPoints: [join(root, 'workers/runner/src/metrics/call-metrics.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: join(root, 'dist/bench/call-metrics.mjs'),
  logLevel: 'error',
});
const { recordCall } = await import(join(root, 'dist/bench/call-metrics.mjs'));
const standInDb = {
  prepare: () => ({ bind: () => ({ all: async () => ({ results: [] }) }) }),
  batch: async () => [],
};
const recordDeps = {
  env: { DB: standInDb, METRICS_FLUSH_MS: '0', METRICS_RECORDING: 'on' },
  waitUntil: () => {},
};
const records = 200_000;
const recordStarted = performance.now();
for (let i = 0; i < records; i++) {
  recordCall(recordDeps, {
    serverId: 'srv_b',
    version: 1,
    tool: i % 2 ? 'get_forecast' : 'search',
    clientId: `cl_${i % 8}`,
    error: i % 10 === 0 ? 'downstream_5xx' : null,
    latencyMs: 5 + (i % 200),
  });
}
const recordUs = ((performance.now() - recordStarted) * 1000) / records;
await new Promise((r) => setTimeout(r, 20)); // let the scheduled flush run against the stand-in
console.log(`  metrics recording in the isolate: ${recordUs.toFixed(2)} µs per tools/call`);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `Runner bundle (gzip, target < 400 KB): ${kb(plainGzip)} as wrangler uploads it (${kb(plain.length)}), ${kb(gzipBytes)} minified (${kb(bundleBytes.length)})`,
);
if (plainGzip > 400 * 1024) process.exitCode = 1;
