#!/usr/bin/env node
// `npm run bench:soak`: a bounded mixed load on the platform as `npm start` runs it — 70 %
// tools/call on the runner against a local API, 20 % refresh_token, 10 % client_credentials —
// for --seconds (default 60, max 300) on --connections (default 16, max 64). Checks, and exits 1
// unless all hold: no 5xx (nor a dropped connection); every refresh token is accepted exactly
// once (each chain rotates without an invalid_grant, and replaying a used one is refused);
// workerd's RSS is printed at the start and the end of the load (docs/benchmarks.md "Soak").
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { setInterval, clearInterval } from 'node:timers';
import { parseArgs } from 'node:util';
import { mcpHeaders, openMcpSession } from './mcp-session.mjs';
import { form, setupOwner, startPlatform } from './soak-setup.mjs';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    connections: { type: 'string', default: '16' },
  },
});
const SECONDS = Math.min(300, Math.max(5, Number(args.seconds)));
const CONNECTIONS = Math.min(64, Math.max(1, Number(args.connections)));

/** Resident memory (MB) of every workerd process below `pid` (Linux /proc; undefined elsewhere). */
function workerdRssMb(pid) {
  try {
    const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
    const parent = new Map();
    for (const p of all) {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // The process ended while we looked.
      }
    }
    const below = (p) => {
      for (let q = parent.get(p); q; q = parent.get(q)) if (q === pid) return true;
      return false;
    };
    let kb = 0;
    for (const [p] of parent) {
      if (!below(p)) continue;
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      if (!/^Name:\s*workerd/m.test(status)) continue;
      kb += Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1] ?? 0);
    }
    return kb / 1024;
  } catch {
    return undefined;
  }
}

// The downstream API the tool calls: a plain local HTTP server in this process.
const api = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true, path: req.url }));
});
await new Promise((ok) => api.listen(0, '127.0.0.1', ok));
api.unref();
const apiUrl = `http://127.0.0.1:${api.address().port}/ping`;

const platform = await startPlatform();
let failed = false;
try {
  const { issuer } = platform;
  const { server, machine, app, chains, accessTokens } = await setupOwner(issuer, {
    connections: CONNECTIONS,
    toolUrl: apiUrl,
  });
  const mcp = (token, body, session) =>
    fetch(server.url, {
      method: 'POST',
      headers: mcpHeaders(token, session),
      body: JSON.stringify(body),
    });
  const sessions = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    sessions.push(await openMcpSession(server.url, accessTokens[i], 'soak'));
  }
  const basic = `Basic ${Buffer.from(`${machine.client_id}:${machine.client_secret}`).toString('base64')}`;
  const ccBody = new URLSearchParams({
    grant_type: 'client_credentials',
    resource: server.url,
    scope: 'mcp:read',
  }).toString();

  const accepted = new Set(); // every refresh token the AS accepted
  let reused = 0; // a token accepted twice: must stay 0
  let lostRotations = 0; // a chain's current token refused: must stay 0
  const ops = {
    'tools/call': async (conn) => {
      const r = await mcp(
        accessTokens[conn],
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ping', arguments: {} } },
        sessions[conn],
      );
      const text = await r.text();
      if (r.status === 200 && text.includes('"isError":true')) return 'tool_error';
      return r.status;
    },
    refresh: async (conn) => {
      const presented = chains[conn];
      const r = await fetch(
        `${issuer}/token`,
        form({ grant_type: 'refresh_token', client_id: app.client_id, refresh_token: presented }),
      );
      const body = await r.json();
      if (r.status === 200) {
        if (accepted.has(presented)) reused++;
        accepted.add(presented);
        chains[conn] = body.refresh_token;
        accessTokens[conn] = body.access_token;
      } else if (r.status < 500) lostRotations++;
      return r.status;
    },
    client_credentials: (_conn) =>
      fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
        body: ccBody,
      }).then(async (r) => (await r.arrayBuffer(), r.status)),
  };
  const pick = () => {
    const x = Math.random();
    return x < 0.7 ? 'tools/call' : x < 0.9 ? 'refresh' : 'client_credentials';
  };

  const rssStart = workerdRssMb(platform.pid);
  const stats = Object.fromEntries(
    Object.keys(ops).map((k) => [k, { latencies: [], statuses: new Map() }]),
  );
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  // RSS every 10 s, so growth that levels off can be told from growth that does not.
  const rssSeries = [];
  const sampler = setInterval(() => rssSeries.push(workerdRssMb(platform.pid)), 10_000);
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, conn) => {
      while (performance.now() < end) {
        const op = pick();
        const started = performance.now();
        let status;
        try {
          status = await ops[op](conn);
        } catch {
          status = 'dropped';
        }
        stats[op].latencies.push(performance.now() - started);
        stats[op].statuses.set(status, (stats[op].statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const rssEnd = workerdRssMb(platform.pid);

  // Exactly once, the other half: a refresh token the AS already accepted is refused.
  let replay = 'skipped';
  const used = [...accepted][0];
  if (used) {
    const r = await fetch(
      `${issuer}/token`,
      form({ grant_type: 'refresh_token', client_id: app.client_id, refresh_token: used }),
    );
    replay = r.status === 400 ? 'refused' : `accepted (${r.status})`;
  }

  console.log(
    `\nbench:soak — ${cpus().length} CPUs, ${CONNECTIONS} connections, ${elapsed.toFixed(0)} s, 70/20/10 tools/call/refresh/client_credentials\n`,
  );
  console.log('operation              count     req/s   p50 ms   p99 ms   answers');
  let bad = 0;
  for (const [op, s] of Object.entries(stats)) {
    const l = s.latencies.sort((a, b) => a - b);
    const q = (p) => (l.length ? l[Math.min(l.length - 1, Math.floor(p * l.length))] : NaN);
    for (const [status, n] of s.statuses) {
      if (status === 'dropped' || status === 'tool_error' || status >= 500) bad += n;
    }
    console.log(
      [
        op.padEnd(20),
        String(l.length).padStart(7),
        (l.length / elapsed).toFixed(0).padStart(9),
        q(0.5).toFixed(1).padStart(8),
        q(0.99).toFixed(1).padStart(8),
        `  ${JSON.stringify(Object.fromEntries(s.statuses))}`,
      ].join(' '),
    );
  }
  const mb = (v) => (v === undefined ? 'n/a' : `${v.toFixed(0)} MB`);
  console.log(`\n5xx, dropped or tool errors: ${bad}`);
  console.log(
    `refresh tokens accepted: ${accepted.size}; accepted twice: ${reused}; chain rotations refused: ${lostRotations}; replay of a used one: ${replay}`,
  );
  console.log(
    `workerd RSS: start ${mb(rssStart)}, end ${mb(rssEnd)} (every 10 s: ${rssSeries.map(mb).join(', ')})`,
  );
  failed = bad > 0 || reused > 0 || lostRotations > 0 || replay !== 'refused';
} finally {
  await platform.stop();
  api.close();
}
if (failed) {
  console.error('bench:soak: a check failed (see above)');
  process.exitCode = 1;
}
