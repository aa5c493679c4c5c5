#!/usr/bin/env node
// `npm run bench`: every benchmark in turn, each against its own baseline measured in the same run.
// All traffic goes to 127.0.0.1; each bench bounds its request count and duration itself.
//   auth    token endpoint throughput and p50/p99 vs. GET /api/health   (npm run bench:auth)
//   peers   Moat side by side with workers-oauth-provider, oidc-provider and the runtime ceilings,
//           short: one round at 16 connections                            (npm run bench:peers)
//   runner  tools/call with token verification vs. verification skipped (npm run bench:runner)
//   build   preview time per OpenAPI fixture, build duration per tool    (npm run bench:build)
//   web     dashboard first-page JS (gzip) against the 200 KB budget     (npm run bench:web)
//   definitions  definition tokens of a large API per discovery mode    (npm run bench:definitions)
// `npm run bench -- auth web` runs only the named ones.
// Arguments each bench gets here (its own npm script runs it in full).
const SHORT = {
  peers: ['--rounds', '1', '--seconds', '1', '--connections', '16', '--grants', '500'],
};
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './lib/workers.mjs';

const BENCHES = {
  auth: 'scripts/bench/auth.mjs',
  peers: 'scripts/bench/peers.mjs',
  runner: 'scripts/bench/runner.mjs',
  build: 'scripts/bench-build.mjs',
  web: 'scripts/bench-web.mjs',
  definitions: 'scripts/bench/definitions.mjs',
};

const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = chosen.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(
    `✗ unknown bench: ${unknown.join(', ')}. Choose from: ${Object.keys(BENCHES).join(', ')}`,
  );
  process.exit(2);
}

const failed = [];
for (const name of chosen.length > 0 ? chosen : Object.keys(BENCHES)) {
  console.log(`\n━━ bench:${name} ━━`);
  const res = spawnSync(process.execPath, [join(root, BENCHES[name]), ...(SHORT[name] ?? [])], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  });
  if (res.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\n✗ failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\n✓ all benchmarks finished');
