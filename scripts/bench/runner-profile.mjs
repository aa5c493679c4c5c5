#!/usr/bin/env node
// `npm run bench:runner-profile`: where the runner isolate's CPU goes on a tools/call and a
// tools/list (issue 16: a tools/call at most 2× a tools/list). Starts the runner alone with the
// bench fixture (scripts/bench/runner-fixture.mjs) and workerd's inspector on, opens a session,
// warms up, then profiles `--calls` of each method (scripts/bench/profile/isolate-profile.mjs, CDP
// over `ws`) and prints, per method, the isolate's busy ms per request, workerd's CPU ms per
// request (/proc) and the frames with the most self and inclusive time.
// With `--baseline DIR` (another checkout of the repository, e.g. `git archive <commit>` unpacked
// with node_modules linked), that commit's runner runs beside this one first: `--rounds` rounds,
// each driving `--calls` of each method through both, in turns, unprofiled, and workerd's CPU ms
// per request of each (median of rounds) with the call ÷ list ratio — before and after, same run.
//   --calls N (400)  --concurrency N (8)  --top N (20)  --interval µs (100)
//   --method tools/call|tools/list|both  --baseline DIR  --rounds N (5)
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuMs, workerdPids } from './peers/load.mjs';
import { median } from './peers/stats.mjs';
import { freePort } from './platform.mjs';
import { profileIsolate, summarizeProfile } from './profile/isolate-profile.mjs';
import {
  DOWNSTREAM_SECRET,
  mcpHeaders,
  mcpRequest,
  openSession,
  SLUG,
  startRunner,
  token,
} from './runner-fixture.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '8' },
    top: { type: 'string', default: '20' },
    interval: { type: 'string', default: '100' },
    method: { type: 'string', default: 'both' },
    baseline: { type: 'string' },
    rounds: { type: 'string', default: '5' },
  },
});
const CALLS = Number(args.calls);
const CONCURRENCY = Number(args.concurrency);
const METHODS = args.method === 'both' ? ['tools/list', 'tools/call'] : [args.method];

const downstream = createServer((req, res) => {
  const ok = req.headers['x-api-key'] === DOWNSTREAM_SECRET;
  res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok, city: new URL(req.url, 'http://x').searchParams.get('city') }));
});
await new Promise((r) => downstream.listen(0, '127.0.0.1', r));

const downstreamOrigin = `http://127.0.0.1:${downstream.address().port}`;
/** One runner on its own workerd, with its pids (for /proc) and an open session. */
async function start(name, options) {
  const before = new Set(workerdPids(process.pid));
  const v = await startRunner({ name, rules: 1000, downstreamOrigin, ...options });
  const t = await token();
  const session = await openSession(v.base, t);
  const pids = workerdPids(process.pid).filter((p) => !before.has(p));
  return { ...v, pids, t, session };
}
const inspectorPort = await freePort();
const runner = await start('runner-profile', { miniflare: { inspectorPort } });
const baseline = args.baseline
  ? await start('runner-baseline', {
      entry: join(args.baseline, 'workers/runner/src/index.ts'),
    })
  : undefined;

/** `n` requests of `method`, `CONCURRENCY` at a time; throws on anything but a 200 result. */
async function drive(method, { base, session, t }, n) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const res = await fetch(`${base}/${SLUG}/mcp`, {
          method: 'POST',
          headers: mcpHeaders(t, session),
          body: mcpRequest(method, next++),
        });
        const text = await res.text();
        if (res.status !== 200 || text.includes('"error"'))
          throw new Error(`${method}: ${res.status} ${text.slice(0, 300)}`);
      }
    }),
  );
  return n;
}

try {
  for (const r of [runner, baseline].filter(Boolean))
    for (const m of ['tools/list', 'tools/call']) await drive(m, r, 100); // warm-up: caches, JIT
  const f = (n) => n.toFixed(2);
  if (baseline) {
    const perRequest = { before: {}, after: {} };
    for (let round = 0; round < Number(args.rounds); round++)
      for (const [label, r] of round % 2
        ? [
            ['after', runner],
            ['before', baseline],
          ]
        : [
            ['before', baseline],
            ['after', runner],
          ])
        for (const m of ['tools/list', 'tools/call']) {
          const cpuBefore = cpuMs(r.pids);
          await drive(m, r, CALLS);
          await new Promise((ok) => setTimeout(ok, 100)); // waitUntil work lands in its round
          (perRequest[label][m] ??= []).push((cpuMs(r.pids) - cpuBefore) / CALLS);
        }
    console.log(
      `workerd CPU ms per request, median of ${args.rounds} interleaved rounds × ${CALLS} (load avg ${loadavg()[0].toFixed(2)}):`,
    );
    for (const label of ['before', 'after']) {
      const list = median(perRequest[label]['tools/list']);
      const call = median(perRequest[label]['tools/call']);
      console.log(
        `  ${label.padEnd(7)} tools/list ${f(list)}  tools/call ${f(call)}  call ÷ list ${f(call / list)}×   (rounds: list ${perRequest[label]['tools/list'].map(f).join(' ')}; call ${perRequest[label]['tools/call'].map(f).join(' ')})`,
      );
    }
  }
  for (const method of METHODS) {
    const cpuBefore = cpuMs(runner.pids);
    const { profile } = await profileIsolate({
      inspectorPort,
      // workerd lists the Worker's isolate by its service name; the DO runs in the same one.
      match: (target) => /moat-runner/.test(`${target.title} ${target.url} ${target.id}`),
      load: () => drive(method, runner, CALLS),
      intervalUs: Number(args.interval),
    });
    const workerdMs = (cpuMs(runner.pids) - cpuBefore) / CALLS;
    const s = summarizeProfile(profile, { top: Number(args.top) });
    console.log(
      `\n${method}: ${CALLS} requests, isolate busy ${f(s.busyMs / CALLS)} ms per request (JS + GC + native calls from JS), workerd ${f(workerdMs)} ms CPU per request (/proc, profiler overhead included)`,
    );
    console.log('  self ms/request   frame');
    for (const x of s.self) console.log(`  ${f(x.ms / CALLS).padStart(8)}          ${x.frame}`);
    console.log('  inclusive ms/request   frame');
    for (const x of s.inclusive)
      console.log(`  ${f(x.ms / CALLS).padStart(8)}               ${x.frame}`);
  }
} finally {
  await runner.mf.dispose();
  await baseline?.mf.dispose();
  downstream.close();
}
