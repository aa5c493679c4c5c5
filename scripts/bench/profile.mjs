#!/usr/bin/env node
// `npm run bench:profile`: where the token endpoint's CPU goes. Starts the platform as the benches
// do (scripts/bench/platform.mjs, Miniflare) with workerd's V8 inspector on a free port, drives N
// grants of each kind with the peers load generator (scripts/bench/peers/load.mjs) and prints, per
// grant: req/s, the workerd process's CPU ms per grant (/proc/<pid>/stat utime+stime delta /
// grants), and, with --profile, the top self-time functions and files of every isolate the
// inspector lists (CDP over `ws`: Profiler.enable/start/stop; files are found from esbuild's
// `// path` module comments in the bundle, so no source map is needed). workerd runs every
// isolate on one thread and samples each on its own clock, so an isolate's (native) and (program)
// samples include time the thread spent elsewhere: read its JS files and functions, and the
// process's CPU per grant for the total.
//
// Before/after in one run: `--root DIR` (repeatable) starts one platform per checkout (a copy of
// an older commit, `git archive <rev> | tar -x -C DIR` with node_modules linked, and this
// scripts/ directory copied over it) and interleaves them: every round measures each grant on
// every platform in turn, the order rotated, so the ratios come from the same minutes of load.
//
//   --grants N (1000)  per grant kind and round     --connections N (16)
//   --rounds N (1)     --kinds client_credentials,refresh_token,authorization_code
//   --profile          sample with the inspector (adds overhead: compare CPU without it)
//   --interval US (200) sampling interval           --top N (25)
//   --root DIR         a checkout to start instead of this one (repeat to compare)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { freePort } from './platform.mjs';
import { startMoat } from './peers/moat.mjs';
import { runPhase } from './peers/load.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const { values: args } = parseArgs({
  options: {
    grants: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '1' },
    kinds: { type: 'string', default: 'client_credentials,refresh_token,authorization_code' },
    profile: { type: 'boolean', default: false },
    interval: { type: 'string', default: '200' },
    top: { type: 'string', default: '25' },
    root: { type: 'string', multiple: true, default: [resolve(import.meta.dirname, '../..')] },
  },
});
const GRANTS = Math.max(10, Number(args.grants) || 1000);
const CONNECTIONS = Math.max(1, Number(args.connections) || 16);
const ROUNDS = Math.max(1, Number(args.rounds) || 1);
const KINDS = args.kinds.split(',');
const TOP = Number(args.top) || 25;
const TICK_MS = 10; // USER_HZ is 100 on Linux

const api = { secret: 'bench-profile-secret-value' };
const downstream = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: req.headers['x-api-key'] === api.secret }));
});
await new Promise((r) => downstream.listen(0, '127.0.0.1', r));
api.origin = `http://127.0.0.1:${downstream.address().port}`;

/** workerd's user + system CPU time so far (ms), summed over `pids`. */
function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  }
  return ticks * TICK_MS;
}

/** A minimal CDP client on one inspector target. */
function cdp(url) {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
  let id = 0;
  const waiting = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    const w = msg.id !== undefined && waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.error) w.fail(new Error(`${msg.error.message}`));
    else w.ok(msg.result);
  });
  const opened = new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  return {
    send: async (method, params = {}) => {
      await opened;
      const n = ++id;
      ws.send(JSON.stringify({ id: n, method, params }));
      return new Promise((ok, fail) => waiting.set(n, { ok, fail }));
    },
    close: () => ws.close(),
  };
}

/** The isolates workerd's inspector lists, each with a CDP session. */
async function inspect(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  return targets
    .filter((t) => t.webSocketDebuggerUrl)
    .map((t) => ({ name: t.title || t.id, session: cdp(t.webSocketDebuggerUrl) }));
}

/** Line → module path from esbuild's `// path/to/module.ts` comments in a bundle. */
function moduleIndex(source) {
  const starts = [];
  source.split('\n').forEach((line, i) => {
    const m = /^\/\/ ((?:\.\.\/)*[\w@.$/-]+\.(?:[cm]?[jt]sx?|json))$/.exec(line);
    if (m) starts.push([i, m[1].replace(/^(\.\.\/)+/, '')]);
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle prelude)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line) {
        found = starts[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Self time (ms) per function and per file from one CPU profile. */
async function summarize(session, profile) {
  const selfMs = new Map(profile.nodes.map((n) => [n.id, 0]));
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    selfMs.set(profile.samples[i], selfMs.get(profile.samples[i]) + dt);
  }
  const indexes = new Map();
  const fileOf = async (frame) => {
    if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
    if (!indexes.has(frame.scriptId)) {
      const { scriptSource } = await session
        .send('Debugger.getScriptSource', { scriptId: frame.scriptId })
        .catch(() => ({ scriptSource: '' }));
      indexes.set(frame.scriptId, moduleIndex(scriptSource));
    }
    const file = indexes.get(frame.scriptId)(frame.lineNumber);
    return file === '(bundle prelude)' ? basename(frame.url) : file;
  };
  const byFn = new Map();
  const byFile = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id);
    if (!ms) continue;
    total += ms;
    const file = await fileOf(node.callFrame);
    const fn = `${node.callFrame.functionName || '(anonymous)'}  ${file}:${node.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  }
  const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  return { total, fns: top(byFn), files: top(byFile) };
}

function printProfile(name, grants, { total, fns, files }) {
  const busy = total - (files.find(([f]) => f === '(idle)')?.[1] ?? 0);
  if (busy / grants < 0.05) return; // an isolate the grants do not use
  console.log(`\n  isolate ${name}: ${(busy / grants).toFixed(2)} ms sampled busy per grant`);
  const row = ([what, ms]) =>
    `    ${((ms / grants) * 1000).toFixed(0).padStart(6)} µs  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${what}`;
  console.log('   self time by file (per grant, share of samples):');
  for (const f of files) console.log(row(f));
  console.log('   self time by function:');
  for (const f of fns) console.log(row(f));
}

const platforms = [];
// Stopped early (Ctrl-C, kill): stop the platforms too, so no workerd is left behind.
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () =>
    Promise.all(platforms.map((p) => p.moat.stop())).finally(() => process.exit(130)),
  );
try {
  for (const root of args.root) {
    const inspectorPort = args.profile ? await freePort() : undefined;
    const moat = await startMoat({ api, chains: CONNECTIONS, platform: { root, inspectorPort } });
    platforms.push({ label: basename(root), moat, inspectorPort });
    console.log(`started ${root} (workerd pid ${moat.pids.join(', ')})`);
  }
  // Codes are minted by prepare(), before the CPU reading and the profile start.
  const grant = (p, kind, n) =>
    runPhase({
      connections: CONNECTIONS,
      seconds: 600,
      max: n,
      request: p.moat.phases[kind],
    });
  for (const p of platforms)
    for (const kind of KINDS) await p.moat.prepare(kind, 200).then(() => grant(p, kind, 200)); // warm-up

  const results = []; // { label, kind, round, rate, cpuPerGrant, failures }
  for (let round = 0; round < ROUNDS; round++) {
    const order = platforms.map((_, i) => platforms[(i + round) % platforms.length]);
    for (const kind of KINDS)
      for (const p of order) {
        await p.moat.prepare(kind, GRANTS);
        const isolates = args.profile ? await inspect(p.inspectorPort) : [];
        for (const { session } of isolates) {
          await session.send('Profiler.enable');
          await session.send('Profiler.setSamplingInterval', { interval: Number(args.interval) });
          await session.send('Profiler.start');
        }
        const cpu0 = cpuMs(p.moat.pids);
        const res = await grant(p, kind, GRANTS);
        const cpu = cpuMs(p.moat.pids) - cpu0;
        const failures = Object.entries(res.statuses).filter(([s]) => s !== '200');
        const r = {
          label: p.label,
          kind,
          round,
          rate: res.count / res.seconds,
          cpuPerGrant: cpu / res.count,
          failures,
          load: loadavg()[0],
        };
        results.push(r);
        console.log(
          `${kind} on ${p.label}, round ${round + 1}: ${r.rate.toFixed(0)} grants/s, ` +
            `${r.cpuPerGrant.toFixed(2)} ms workerd CPU per grant` +
            (failures.length ? `, NOT 200: ${JSON.stringify(Object.fromEntries(failures))}` : '') +
            ` (load avg ${r.load.toFixed(2)})`,
        );
        for (const { name, session } of isolates) {
          const { profile } = await session.send('Profiler.stop');
          await session.send('Debugger.enable').catch(() => undefined);
          printProfile(name, res.count, await summarize(session, profile));
          session.close();
        }
      }
  }
  if (platforms.length > 1 || ROUNDS > 1) {
    console.log('\nsummary (median of rounds; ratio to the first --root in the same run)');
    const med = (xs) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    for (const kind of KINDS) {
      const base = results.filter((r) => r.kind === kind && r.label === platforms[0].label);
      for (const p of platforms) {
        const mine = results.filter((r) => r.kind === kind && r.label === p.label);
        const ratios = mine.map((r, i) => r.rate / base[i].rate);
        console.log(
          `  ${kind.padEnd(20)} ${p.label.padEnd(16)} ${med(mine.map((r) => r.rate))
            .toFixed(0)
            .padStart(5)}/s ` +
            `${med(mine.map((r) => r.cpuPerGrant)).toFixed(2)} ms CPU  ×${ratios.map((x) => x.toFixed(2)).join(', ×')}`,
        );
      }
    }
  }
} finally {
  await Promise.all(platforms.map((p) => p.moat.stop()));
  downstream.close();
}
