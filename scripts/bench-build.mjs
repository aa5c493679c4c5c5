#!/usr/bin/env node
// `npm run bench:build`: starts the platform as `npm start` does (fresh state, free ports, the local
// fake model), then measures over real HTTP, against 127.0.0.1 only:
//   - preview time per OpenAPI fixture (lib/openapi/fixtures) and for a prompt (median of 5);
//   - one build of a server with 5 read-only tools against a local downstream API: each tool's
//     test-call duration from the build log, and the whole build (queued → finished).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { syntheticOpenApiText } from '../test/fixtures/synthetic-openapi.mjs';
import { startPlatform } from './bench/platform.mjs';
import { root } from './lib/workers.mjs';

const RUNS = 5;
const TOOLS = 5;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const env = { ...process.env };
delete env.LLM_API_KEY; // always the local fake model: the figure is Moat's, not a provider's
const platform = await startPlatform({ env });
const { issuer } = platform;

const downstream = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: req.url, ok: true }));
});
await new Promise((ok) => downstream.listen(0, '127.0.0.1', ok));
const dsHost = `127.0.0.1:${downstream.address().port}`;

async function stop() {
  downstream.close();
  await platform.stop();
}

try {
  const signup = await fetch(`${issuer}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `bench-${Date.now()}@example.test`,
      password: 'correct horse battery staple',
    }),
  });
  const { csrfToken } = await signup.json();
  const cookie = signup.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const keyRes = await fetch(`${issuer}/v1/api-keys`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie,
      origin: issuer,
      'x-csrf-token': csrfToken,
    },
    body: JSON.stringify({ name: 'bench' }),
  });
  const { key } = await keyRes.json();
  const call = async (path, body) => {
    const res = await fetch(`${issuer}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        authorization: `Bearer ${key}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  console.log(`Preview (median of ${RUNS}, ms):`);
  const fixtures = join(root, 'lib/openapi/fixtures');
  for (const file of readdirSync(fixtures).sort()) {
    const text = readFileSync(join(fixtures, file), 'utf8');
    const times = [];
    let tools = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await call('/v1/servers/preview', {
        openapi: text,
        baseUrl: 'https://petstore3.swagger.io',
      });
      times.push(performance.now() - t);
      tools = r.spec.tools.length;
    }
    const kb = (statSync(join(fixtures, file)).size / 1024).toFixed(1);
    console.log(`  ${median(times).toFixed(1).padStart(7)}  ${file} (${kb} KB, ${tools} tools)`);
  }
  // A large document: 600 operations sharing schemas (the preview lists all, selects 20).
  const big = syntheticOpenApiText();
  const bigTimes = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await call('/v1/servers/preview', { openapi: big });
    bigTimes.push(performance.now() - t);
  }
  console.log(
    `  ${median(bigTimes).toFixed(1).padStart(7)}  synthetic (${(big.length / 1024).toFixed(0)} KB, 600 operations, 20 selected)`,
  );
  const promptTimes = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await call('/v1/servers/preview', { prompt: 'GitHub issues: look up and comment' });
    promptTimes.push(performance.now() - t);
  }
  console.log(`  ${median(promptTimes).toFixed(1).padStart(7)}  prompt (local fake model)`);

  const slug = `bench-${Date.now().toString(36)}`;
  const spec = {
    name: 'Bench',
    slug,
    egress: [dsHost],
    tools: Array.from({ length: TOOLS }, (_, i) => ({
      name: `get_item_${i + 1}`,
      description: `Item ${i + 1}`,
      inputSchema: { type: 'object', properties: {} },
      annotations: { readOnlyHint: true },
      http: { method: 'GET', url: `http://${dsHost}/items/${i + 1}` },
    })),
  };
  const started = performance.now();
  const { id } = await call('/v1/builds', { spec });
  let build;
  for (;;) {
    build = await call(`/v1/builds/${id}`);
    if (build.status === 'succeeded' || build.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const wall = performance.now() - started;
  console.log(`Build of ${TOOLS} read-only tools: ${build.status}`);
  for (const l of build.log.filter((l) => l.step === 'test' && l.durationMs !== undefined)) {
    console.log(
      `  ${String(l.durationMs).padStart(7)} ms  ${l.tool} (test call through the runner)`,
    );
  }
  const smoke = build.log.filter((l) => l.step === 'smoke' && l.level !== 'info').at(0);
  console.log(
    `  ${String(build.finishedAt - build.createdAt).padStart(7)} ms  whole build (queued → finished, incl. publish and smoke: ${smoke?.level})`,
  );
  console.log(
    `  ${wall.toFixed(0).padStart(7)} ms  POST /v1/builds → status seen as ${build.status}`,
  );
  if (build.status !== 'succeeded') process.exitCode = 1;
} finally {
  await stop();
}
