#!/usr/bin/env node
// `npm run bench:peers`: Moat side by side with what an owner would run instead, on this machine,
// through one load generator (scripts/bench/peers/load.mjs), all on 127.0.0.1:
//   moat  the platform as `npm start` runs it (auth + runner on workerd via Miniflare)
//   wop   @cloudflare/workers-oauth-provider in a minimal Worker on the same workerd
//   oidc  oidc-provider (Node, in memory), JWT access tokens for one resource
//   worker / node  runtime ceilings: a trivial Worker on the same Miniflare, a plain node:http
// Phases: client_credentials, refresh_token (each token rotated once, checked exactly-once),
// authorization_code redemption, an authenticated tools/call against a local API (wop: the same
// downstream call behind its API route), an authenticated tools/list (wop: its API route with no
// downstream call), the same call with an invalid token, and the ceilings.
// For each connection count, every round runs every phase on every system in turn (the order
// rotates per round), so noise on a shared machine shows as spread, not as a result.
// Prints req/s (median of rounds) ± spread, p50/p99, CPU ms per request (the delta of utime+stime
// in /proc of the system's own processes over the phase, ÷ answered requests: workerd for
// moat/wop/worker, the forked child for oidc/node), Moat's ratios to each peer; then workerd's
// RSS after --grants refresh grants (moat vs wop). Exits 1 on any 5xx or a failed rotation check.
//   --rounds N (3)  --seconds S per phase (1.5, max 10)  --connections 1,4,16,64
//   --max N requests per phase (3000)  --codes N per code phase (150)  --grants N (2000)
//   --memory  only Moat and WOP, only the grants' RSS series
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startMoat } from './peers/moat.mjs';
import { cpuMs, runPhase, rssMb } from './peers/load.mjs';
import { startNodeHttp, startOidcProvider } from './peers/node-peers.mjs';
import { cpuRatios, ratios, summarize } from './peers/stats.mjs';
import { startTrivialWorker, startWop } from './peers/workerd-peers.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '1.5' },
    connections: { type: 'string', default: '1,4,16,64' },
    max: { type: 'string', default: '3000' },
    codes: { type: 'string', default: '150' },
    grants: { type: 'string', default: '2000' },
    memory: { type: 'boolean', default: false },
  },
});
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, Number(v) || lo));
const ROUNDS = clamp(args.rounds, 1, 10);
const SECONDS = clamp(args.seconds, 0.5, 10);
// --memory: only Moat and WOP, only the refresh grants and their RSS series.
const LEVELS = args.memory ? [] : args.connections.split(',').map((c) => clamp(c, 1, 64));
const MAX = clamp(args.max, 10, 50_000);
const CODES = clamp(args.codes, 10, 1000);
const GRANTS = clamp(args.grants, 0, 20_000);
const CHAINS = Math.max(16, ...LEVELS);
const PHASES = [
  'client_credentials',
  'refresh_token',
  'authorization_code',
  'tools/call',
  'tools/list',
  'invalid token',
  'ceiling',
];
const PEERS = ['wop', 'oidc', 'worker', 'node'];
/** The peers whose CPU per request compares with Moat's (the ceilings run no phase Moat runs). */
const CPU_PEERS = ['wop', 'oidc'];
/** After the last answer, work the system still does for the phase (waitUntil) lands in it. */
const SETTLE_MS = 100;

// The local API every authenticated call reaches, with a secret header (as a hosted tool would).
const api = { secret: 'bench-peers-secret-value' };
const downstream = createServer((req, res) => {
  const ok = req.headers['x-api-key'] === api.secret;
  res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok, city: new URL(req.url, 'http://x').searchParams.get('city') }));
});
await new Promise((r) => downstream.listen(0, '127.0.0.1', r));
api.origin = `http://127.0.0.1:${downstream.address().port}`;

const load = [];
const systems = [];
let failed = false;
try {
  load.push(loadavg()[0]);
  const started = Date.now();
  systems.push(await startMoat({ api, chains: CHAINS }));
  systems.push(await startWop({ api, chains: CHAINS }));
  if (!args.memory) {
    systems.push(await startOidcProvider({ chains: CHAINS }));
    systems.push(await startTrivialWorker());
    systems.push(await startNodeHttp());
  }
  console.log(`systems ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const run = async (s, phase, connections, seconds, max) => {
    const bound = phase === 'authorization_code' ? Math.min(max, CODES) : max;
    await s.prepare?.(phase, bound);
    const before = cpuMs(s.pids);
    const round = await runPhase({ connections, seconds, max: bound, request: s.phases[phase] });
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return { ...round, cpuMs: cpuMs(s.pids) - before };
  };
  // Warm-up: isolates, JIT, caches.
  for (const s of systems) for (const p of Object.keys(s.phases)) await run(s, p, 4, 0.5, 40);

  const results = {}; // level → phase → system → rounds[]
  for (const c of LEVELS) {
    results[c] = {};
    for (let r = 0; r < ROUNDS; r++) {
      const order = systems.map((_, i) => systems[(i + r) % systems.length]);
      for (const phase of PHASES)
        for (const s of order) {
          if (!s.phases[phase]) continue;
          const into = ((results[c][phase] ??= {})[s.name] ??= []);
          const round = await run(s, phase, c, SECONDS, MAX);
          if (round.statuses.timeout)
            console.log(
              `✗ ${s.name} ${phase} at ${c} connections: ${round.statuses.timeout} timed out`,
            );
          into.push(round);
        }
    }
    load.push(loadavg()[0]);
    console.log(
      `measured at ${c} connection${c > 1 ? 's' : ''} (load avg ${load.at(-1).toFixed(2)})`,
    );
  }

  console.log(
    `\nbench:peers — ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load avg ${load.map((l) => l.toFixed(2)).join(' → ')}; ` +
      `${ROUNDS} rounds × ${SECONDS} s per phase, ≤ ${MAX} requests (codes ≤ ${CODES}), 127.0.0.1`,
  );
  const f = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '—');
  for (const c of LEVELS) {
    console.log(`\n${c} connection${c > 1 ? 's' : ''}`);
    console.log(
      `${'phase'.padEnd(20)}${'system'.padEnd(8)}${'req/s'.padStart(8)}${'±spread'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'cpu ms'.padStart(9)}   moat req/s ×${PEERS.map((p) => p.padStart(7)).join('')}   moat cpu ×${CPU_PEERS.map((p) => p.padStart(7)).join('')}`,
    );
    for (const phase of PHASES) {
      const by = Object.fromEntries(
        Object.entries(results[c][phase] ?? {}).map(([n, rounds]) => [n, summarize(rounds)]),
      );
      const table = ratios(by, 'moat', PEERS);
      const cpuTable = cpuRatios(by, 'moat', CPU_PEERS);
      Object.entries(by).forEach(([name, s], i) => {
        if (s.fivexx > 0) failed = true;
        const tail =
          i === 0 && by.moat
            ? `${PEERS.map((p) => table[p].padStart(7)).join('')}${' '.repeat(13)}${CPU_PEERS.map((p) => cpuTable[p].padStart(7)).join('')}`
            : '';
        console.log(
          `${(i === 0 ? phase : '').padEnd(20)}${name.padEnd(8)}${f(s.rps).padStart(8)}${`${f(s.spread * 100)}%`.padStart(9)}${f(s.p50, 1).padStart(9)}${f(s.p99, 1).padStart(9)}${f(s.cpu, 2).padStart(9)}   ${' '.repeat(12)}${tail}`,
        );
        const other = Object.entries(s.statuses).filter(
          ([st]) => st !== (phase === 'invalid token' ? '401' : '200'),
        );
        if (other.length)
          console.log(`${''.padEnd(28)}answers ${JSON.stringify(Object.fromEntries(other))}`);
      });
    }
  }

  // Issue 16's runner target: a tools/call at most 2× the CPU of a tools/list, same run.
  console.log('\nmoat CPU per tools/call ÷ per tools/list (target ≤ 2×)');
  for (const c of LEVELS) {
    const call = summarize(results[c]['tools/call']?.moat ?? []).cpu;
    const list = summarize(results[c]['tools/list']?.moat ?? []).cpu;
    console.log(
      `  ${String(c).padStart(2)} connections: ${f(call, 2)} ms ÷ ${f(list, 2)} ms = ${f(call / list, 2)}×`,
    );
  }

  // workerd memory after GRANTS refresh grants, Moat vs workers-oauth-provider, interleaved in
  // chunks so both series come from the same minutes of the machine (docs/benchmarks.md "Memory").
  if (GRANTS > 0) {
    const chunk = Math.min(GRANTS, 2000);
    console.log(
      `\nworkerd RSS (MB) every ${chunk} refresh grants, up to ${GRANTS} (16 connections)`,
    );
    for (const s of systems.filter((x) => x.name === 'moat' || x.name === 'wop')) {
      s.rss = [rssMb(s.pids)];
      s.grants = 0;
    }
    for (let done = 0; done < GRANTS; done += chunk)
      for (const s of systems.filter((x) => x.rss)) {
        const round = await runPhase({
          connections: 16,
          seconds: 600,
          max: Math.min(chunk, GRANTS - done),
          request: s.phases.refresh_token,
        });
        if (Object.keys(round.statuses).some((st) => st === 'error' || Number(st) >= 500))
          failed = true;
        s.grants += round.count;
        s.rss.push(rssMb(s.pids));
      }
    for (const s of systems.filter((x) => x.rss))
      console.log(
        `  ${s.name.padEnd(6)} ${s.rss.map((m) => f(m)).join(' → ')} (${s.grants} grants)`,
      );
  }

  // Exactly-once rotation: every token presented once, every 200 a new token, a replay refused.
  console.log('\nrefresh rotation');
  for (const s of systems.filter((x) => x.chains)) {
    const replay = await s.replay();
    const problems = s.chains.problems;
    console.log(
      `  ${s.name.padEnd(6)} ${problems.length ? `✗ ${problems[0]} (${problems.length})` : '✓ every token rotated exactly once'}; replay of a rotated token → ${replay}`,
    );
    if (problems.length || (s.name === 'moat' && replay !== 400)) failed = true;
  }
} finally {
  for (const s of systems) await s.stop().catch(() => {});
  downstream.close();
}
if (failed) {
  console.error('\nbench:peers: 5xx answers, errors, timeouts or a failed rotation check');
  process.exitCode = 1;
}
