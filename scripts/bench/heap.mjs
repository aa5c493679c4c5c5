#!/usr/bin/env node
// `npm run bench:heap`: what grows in workerd under load. Starts the platform as `npm start` does
// (scripts/bench/platform.mjs) with workerd's V8 inspector, runs --steps × --ops operations of
// one --mix, and after each step prints workerd's RSS (anonymous vs file-backed), the bytes the
// state directory holds on disk and each isolate's committed JS heap; after a warm-up and at the
// end, each isolate's live JS heap (a heap snapshot, so after a full GC) and the constructors that
// grew between the two (--snapshot isolates; scripts/bench/heap/inspector.mjs). A live heap that
// grows is ours, the SDK's or Miniflare's (the diff says which); RSS that grows while every live
// heap stays flat is native memory. docs/benchmarks.md "Memory".
//   --mix soak|tools|refresh|cc (soak: 70/20/10 as bench:soak)  --ops N per step (2000)
//   --steps N (5)  --connections N (16)  --snapshot core:user:moat-auth,…  --top N (12)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { URLSearchParams } from 'node:url';
import { parseArgs } from 'node:util';
import { connect, growth, heapByConstructor, heapUsage, listIsolates } from './heap/inspector.mjs';
import { runPhase, workerdPids } from './peers/load.mjs';
import { freePort, startPlatform } from './platform.mjs';
import { mcpHeaders, openMcpSession } from './mcp-session.mjs';
import { form, setupOwner } from './soak-setup.mjs';

const { values: args } = parseArgs({
  options: {
    mix: { type: 'string', default: 'soak' },
    ops: { type: 'string', default: '2000' },
    steps: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    snapshot: { type: 'string', default: 'core:user:moat-auth,core:user:moat-runner' },
    top: { type: 'string', default: '12' },
  },
});
const MIXES = { soak: [0.7, 0.9], tools: [1, 1], refresh: [0, 1], cc: [0, 0] };
const [toolsUpTo, refreshUpTo] = MIXES[args.mix] ?? MIXES.soak;
const OPS = Math.max(10, Number(args.ops));
const STEPS = Math.max(1, Number(args.steps));
const CONNECTIONS = Math.min(64, Math.max(1, Number(args.connections)));
const SNAPSHOT = args.snapshot.split(',').filter(Boolean);

/** workerd's resident memory, anonymous (heaps, malloc) and file-backed (mapped files), MB. */
function workerdMemory(pids) {
  const out = { rss: 0, anon: 0, file: 0 };
  for (const pid of pids) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s*(\\d+)`, 'm').exec(status)?.[1] ?? 0) / 1024;
    out.rss += kb('VmRSS');
    out.anon += kb('RssAnon');
    out.file += kb('RssFile') + kb('RssShmem');
  }
  return out;
}
const diskMb = (dir) =>
  Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024;

const api = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true }));
});
await new Promise((ok) => api.listen(0, '127.0.0.1', ok));
const inspectorPort = await freePort();
const platform = await startPlatform({ inspectorPort });
try {
  const { issuer } = platform;
  const toolUrl = `http://127.0.0.1:${api.address().port}/ping`;
  const { server, machine, app, chains, accessTokens } = await setupOwner(issuer, {
    connections: CONNECTIONS,
    toolUrl,
  });
  const mcp = (conn, body, session) =>
    fetch(server.url, {
      method: 'POST',
      headers: mcpHeaders(accessTokens[conn], session),
      body: JSON.stringify(body),
    });
  const sessions = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    sessions.push(await openMcpSession(server.url, accessTokens[i], 'heap'));
  }
  const basic = `Basic ${Buffer.from(`${machine.client_id}:${machine.client_secret}`).toString('base64')}`;
  const ccBody = new URLSearchParams({ grant_type: 'client_credentials', resource: server.url });
  const op = async (conn) => {
    const x = Math.random();
    if (x < toolsUpTo) {
      const r = await mcp(
        conn,
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ping', arguments: {} } },
        sessions[conn],
      );
      await r.arrayBuffer();
      return r.status;
    }
    if (x < refreshUpTo) {
      const r = await fetch(
        `${issuer}/token`,
        form({
          grant_type: 'refresh_token',
          client_id: app.client_id,
          refresh_token: chains[conn],
        }),
      );
      const body = await r.json();
      if (r.status === 200)
        [chains[conn], accessTokens[conn]] = [body.refresh_token, body.access_token];
      return r.status;
    }
    const r = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body: ccBody,
    });
    await r.arrayBuffer();
    return r.status;
  };

  console.log(
    `platform up, ${CONNECTIONS} sessions open; measuring ${args.mix} × ${OPS} ops per step`,
  );
  const pids = workerdPids(platform.pid);
  const isolates = await listIsolates(inspectorPort);
  const sessionsById = new Map();
  for (const { id, url } of isolates) sessionsById.set(id, await connect(url));
  // Each step reads RSS and the heaps as found (no GC, which would disturb the series); heap
  // snapshots (each a full GC) only after a warm-up and at the end.
  const measure = async () => {
    const heaps = {};
    for (const [id, s] of sessionsById) heaps[id] = await heapUsage(s);
    return { heaps, mem: workerdMemory(pids), disk: diskMb(platform.stateDir) };
  };
  const snapshots = async () => {
    const out = {};
    for (const [id, s] of sessionsById)
      if (SNAPSHOT.includes(id) || (await heapUsage(s)).used >= 1)
        out[id] = await heapByConstructor(s);
    return out;
  };
  const statuses = {};
  const load = async (max) => {
    const round = await runPhase({ connections: CONNECTIONS, seconds: 600, max, request: op });
    for (const [k, v] of Object.entries(round.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
    return round;
  };

  await load(Math.min(OPS, 500)); // warm-up: JIT, caches, the isolates' first allocations
  const first = await snapshots();
  const rows = [await measure()];
  for (let step = 1; step <= STEPS; step++) {
    const round = await load(OPS);
    rows.push(await measure());
    console.log(
      `step ${step}: ${round.count} ops in ${round.seconds.toFixed(1)} s (load avg ${loadavg()[0].toFixed(2)})`,
    );
  }
  const last = await snapshots();

  const f = (n) => n.toFixed(1).padStart(8);
  console.log(
    `\nbench:heap — mix ${args.mix}, ${STEPS} steps × ${OPS} ops after a warm-up, ${CONNECTIONS} connections; answers ${JSON.stringify(statuses)}`,
  );
  console.log(
    `\n${'MB after ops'.padEnd(30)}${rows.map((_, i) => `${i * OPS}`.padStart(8)).join('')}`,
  );
  const line = (label, pick) =>
    console.log(`${label.padEnd(30)}${rows.map((r) => f(pick(r))).join('')}`);
  const sum = (r, k) => Object.values(r.heaps).reduce((a, h) => a + h[k], 0);
  line('workerd RSS', (r) => r.mem.rss);
  line('  anonymous', (r) => r.mem.anon);
  line('  file-backed', (r) => r.mem.file);
  line('state on disk', (r) => r.disk);
  line('JS heaps committed', (r) => sum(r, 'committed'));
  const ids = Object.keys(rows[0].heaps).sort(
    (a, b) => rows.at(-1).heaps[b].committed - rows.at(-1).heaps[a].committed,
  );
  for (const id of ids.slice(0, 4)) line(`  ${id}`, (r) => r.heaps[id]?.committed ?? 0);
  const liveSum = (snaps) => Object.values(snaps).reduce((a, m) => a + m.live, 0);
  console.log(
    `\nJS heaps live after a full GC, MB: ${f(liveSum(first))} after the warm-up → ${f(liveSum(last))} after ${STEPS * OPS} ops`,
  );
  for (const id of Object.keys(last))
    console.log(`  ${id.padEnd(28)}${f(first[id]?.live ?? 0)} → ${f(last[id].live)}`);
  for (const id of SNAPSHOT.filter((x) => last[x] && first[x])) {
    console.log(`\n${id}: constructors that grew over the ${STEPS * OPS} ops (after GC)`);
    for (const g of growth(first[id], last[id], Number(args.top)))
      console.log(
        `  ${(g.bytes / 1024).toFixed(0).padStart(8)} KB ${String(g.count).padStart(8)} × ${g.name.slice(0, 80)}`,
      );
  }
  for (const s of sessionsById.values()) s.close();
} finally {
  await platform.stop();
  api.close();
}
