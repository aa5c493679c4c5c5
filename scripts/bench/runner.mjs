#!/usr/bin/env node
// `npm run bench:runner`: what edge token verification costs on the tools/call path, and the
// runner's bundle size. Two runner bundles run the same code on embedded Miniflare (workerd):
// the real one, and a bench-only build where esbuild defines __MOAT_BENCH_SKIP_VERIFY__ so the
// signature/claims check is compiled out (that flag exists in no production bundle and no
// configuration reaches it). Both serve one hosted server whose tool calls a local downstream
// API on 127.0.0.1 with a secret header. In each round both variants run side by side, so machine
// noise hits them alike; one run prints p50/p99 latency, throughput and the ratio.
//
//   --calls N        tools/call per round and variant (default 75)
//   --concurrency N  in-flight calls per variant (default 8)
//   --rounds N       rounds (default 16)
//   --control        A/A run: both bundles skip verification, to show the noise floor
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { applyMigrations } from '../lib/migrations.mjs';
import { bundleWorker, root, workerOptions } from '../lib/workers.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '75' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '16' },
    control: { type: 'boolean', default: false },
  },
});
const CALLS = Number(args.calls);
const CONCURRENCY = Number(args.concurrency);
const ROUNDS = Number(args.rounds);
const MASTER_KEY = 'YmVuY2gtb25seS1tYXN0ZXIta2V5LTMyLWJ5dGVzISE=';
const SLUG = 'bench';

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
  const ok = req.headers['x-api-key'] === 'bench-secret-value';
  res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok, city: new URL(req.url, 'http://x').searchParams.get('city') }));
});
await new Promise((r) => downstream.listen(0, '127.0.0.1', r));
const downstreamOrigin = `http://127.0.0.1:${downstream.address().port}`;

// --- signing key standing in for the AS ---------------------------------------------------------
const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
const kid = 'bench-1';
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };

const spec = {
  name: 'Bench',
  slug: SLUG,
  visibility: 'private',
  secrets: [{ name: 'API_KEY' }],
  egress: ['127.0.0.1'],
  tools: [
    {
      name: 'get_forecast',
      description: 'Forecast',
      inputSchema: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      },
      annotations: { readOnlyHint: true },
      http: {
        method: 'GET',
        url: `${downstreamOrigin}/forecast?city={city}`,
        headers: { 'X-Api-Key': '{{secrets.API_KEY}}' },
      },
    },
  ],
};

const envelope = build({
  entryPoints: [join(root, 'lib/crypto/envelope.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: join(root, 'dist/bench/envelope.mjs'),
  logLevel: 'error',
}).then(() => import(join(root, 'dist/bench/envelope.mjs')));

async function startVariant(name, defines) {
  const script = await bundleWorker('runner', join(root, 'dist/bench', name), defines);
  const runner = workerOptions('runner', script, {
    MASTER_KEY,
    ALLOW_PRIVATE_EGRESS: '1',
    ISSUER: 'http://127.0.0.1:8787',
    RUNNER_ORIGIN: 'http://127.0.0.1:8788',
    SERVER_REVALIDATE_MS: '5000',
  });
  const mf = new Miniflare(
    convertV4MiniflareOptions({ host: '127.0.0.1', port: 0, workers: [runner] }),
  );
  const url = await mf.ready;
  const db = await mf.getD1Database('DB', 'moat-runner');
  await applyMigrations(db);
  const now = Date.now();
  await db.batch([
    db
      .prepare(
        "INSERT INTO orgs (id, name, personal, plan, created_at) VALUES ('org_b', 'B', 1, 'free', ?)",
      )
      .bind(now),
    db
      .prepare(
        `INSERT INTO servers (id, org_id, slug, name, visibility, current_version, created_by, created_at, updated_at)
         VALUES ('srv_b', 'org_b', ?, 'Bench', 'private', 1, 'usr_b', ?, ?)`,
      )
      .bind(SLUG, now, now),
    db
      .prepare(
        `INSERT INTO server_versions (server_id, version, spec, created_by, created_at) VALUES ('srv_b', 1, ?, 'usr_b', ?)`,
      )
      .bind(JSON.stringify(spec), now),
  ]);
  // Sealed with the same runtime-neutral lib the registry uses (bundled for Node by esbuild).
  const { sealSecret, secretAad } = await envelope;
  const e = await sealSecret(MASTER_KEY, 'bench-secret-value', secretAad('srv_b', 'API_KEY'));
  await db
    .prepare(
      `INSERT INTO secrets (server_id, name, ciphertext, iv, wrapped_key, key_version, updated_by, updated_at)
       VALUES ('srv_b', 'API_KEY', ?, ?, ?, ?, 'usr_b', ?)`,
    )
    .bind(e.ciphertext, e.iv, e.wrappedKey, e.keyVersion, now)
    .run();
  await (await mf.getKVNamespace('KV', 'moat-runner')).put('jwks', JSON.stringify(jwks));
  return { mf, base: new URL(url).origin };
}

async function token() {
  return new SignJWT({
    sub: 'usr_bench',
    client_id: 'cl_bench',
    server_id: 'srv_b',
    scope: 'mcp:read',
    jti: crypto.randomUUID(),
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
    .setIssuer('http://127.0.0.1:8787')
    .setAudience(`http://127.0.0.1:8788/${SLUG}/mcp`)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

const headers = (t, session) => ({
  authorization: `Bearer ${t}`,
  accept: 'application/json, text/event-stream',
  'content-type': 'application/json',
  ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } : {}),
});

async function openSession(base, t) {
  const res = await fetch(`${base}/${SLUG}/mcp`, {
    method: 'POST',
    headers: headers(t),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    }),
  });
  if (res.status !== 200) throw new Error(`initialize: ${res.status} ${await res.text()}`);
  await res.text();
  return res.headers.get('mcp-session-id');
}

async function callOnce(base, t, session, id) {
  const started = performance.now();
  const res = await fetch(`${base}/${SLUG}/mcp`, {
    method: 'POST',
    headers: headers(t, session),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'get_forecast', arguments: { city: 'Oslo' } },
    }),
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
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < calls) latencies.push(await callOnce(v.base, t, session, next++));
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

const pct = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const variants = {
  verify: await startVariant(
    'runner-verify',
    args.control ? { __MOAT_BENCH_SKIP_VERIFY__: 'true' } : {},
  ),
  skip: await startVariant('runner-skip-verify', { __MOAT_BENCH_SKIP_VERIFY__: 'true' }),
};
const results = {
  verify: { lat: [], seconds: 0, calls: 0 },
  skip: { lat: [], seconds: 0, calls: 0 },
};
try {
  const t = await token();
  const sessions = {};
  for (const [name, v] of Object.entries(variants)) {
    sessions[name] = await openSession(v.base, t);
    await round(v, t, sessions[name], 50); // warm-up: isolate caches, JIT, D1 statements
  }
  // Both variants run at the same time in every round, so a busy machine slows both alike.
  for (let r = 0; r < ROUNDS; r++) {
    const names = ['verify', 'skip'];
    const done = await Promise.all(
      names.map((name) => round(variants[name], t, sessions[name], CALLS)),
    );
    done.forEach(({ latencies, seconds }, i) => {
      const into = results[names[i]];
      into.lat.push(...latencies);
      into.seconds += seconds;
      into.calls += latencies.length;
    });
  }
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
  };
}
const f = (n) => n.toFixed(2).padStart(8);
console.log(
  `tools/call to a local downstream, ${ROUNDS} rounds × ${CALLS} calls per variant, both variants side by side, concurrency ${CONCURRENCY} each`,
);
console.log(`                         p50 ms   p99 ms    calls/s`);
console.log(
  `  auth on (RS256 verify) ${f(summary.verify.p50)} ${f(summary.verify.p99)} ${f(summary.verify.rps)}`,
);
console.log(
  `  verification skipped   ${f(summary.skip.p50)} ${f(summary.skip.p99)} ${f(summary.skip.rps)}`,
);
const cost = (summary.verify.p50 / summary.skip.p50 - 1) * 100;
const tput = (1 - summary.verify.rps / summary.skip.rps) * 100;
console.log(
  `  auth cost: p50 ${cost >= 0 ? '+' : ''}${cost.toFixed(1)}%, throughput ${tput >= 0 ? '-' : '+'}${Math.abs(tput).toFixed(1)}% (target < 5%)`,
);
console.log(`  downstream requests: ${downstreamHits}`);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `Runner bundle (gzip, target < 400 KB): ${kb(plainGzip)} as wrangler uploads it (${kb(plain.length)}), ${kb(gzipBytes)} minified (${kb(bundleBytes.length)})`,
);
if (plainGzip > 400 * 1024) process.exitCode = 1;
