#!/usr/bin/env node
// `npm start`: the whole platform on one machine. Both Workers run in one embedded Miniflare
// (workerd) instance so they share the same local D1 database, KV namespace and Durable Objects,
// persisted under .wrangler/state (the same place `wrangler d1 migrations apply --local` writes).
//
//   --port N          auth Worker + dashboard (default 8787, env MOAT_AUTH_PORT)
//   --runner-port N   runner Worker (default 8788, env MOAT_RUNNER_PORT)
//   --persist-to DIR  local state (default .wrangler/state)
//   --watch           rebuild and reload when sources change (`npm run dev`)
//   --inspector-port N  serve workerd's V8 inspector there (scripts/bench/profile.mjs)
//   --no-dashboard    the auth Worker without its ASSETS binding (the benches: in production the
//                     asset router runs at Cloudflare's edge, not on the Worker's thread)
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { watch } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDashboard } from './lib/dashboard.mjs';
import { ensureDevVars } from './lib/dev-vars.mjs';
import { applyMigrations } from './lib/migrations.mjs';
import { bundleWorker, root, workerOptions } from './lib/workers.mjs';
import { startFakeLlm } from './fake-llm.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.MOAT_AUTH_PORT ?? '8787' },
    'runner-port': { type: 'string', default: process.env.MOAT_RUNNER_PORT ?? '8788' },
    'persist-to': { type: 'string', default: join(root, '.wrangler/state') },
    host: { type: 'string', default: '127.0.0.1' },
    watch: { type: 'boolean', default: false },
    'inspector-port': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    'no-dashboard': { type: 'boolean', default: false },
  },
});

const log = (line) => {
  if (!args.quiet) console.log(line);
};
const authPort = Number(args.port);
const runnerPort = Number(args['runner-port']);
const persistRoot = join(resolve(args['persist-to']), 'v3');
const issuer = `http://${args.host}:${authPort}`;
const runnerOrigin = `http://${args.host}:${runnerPort}`;

const devVars = ensureDevVars(log);
// LLM_* from the environment win; without a model key anywhere, prompts go to the local fake model.
const llmEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k, v]) => k.startsWith('LLM_') && v),
);
const llm = llmEnv.LLM_API_KEY || devVars.LLM_API_KEY ? llmEnv : await localFakeLlm();
const bindings = {
  ...devVars,
  ...llm,
  ISSUER: process.env.ISSUER ?? issuer,
  RUNNER_ORIGIN: process.env.RUNNER_ORIGIN ?? runnerOrigin,
};

async function options() {
  const started = Date.now();
  const [authScript, runnerScript] = await Promise.all([
    bundleWorker('auth'),
    bundleWorker('runner'),
    args['no-dashboard'] ? undefined : ensureDashboard(log),
  ]);
  log(`✓ bundled both Workers in ${Date.now() - started} ms`);
  const runner = workerOptions('runner', runnerScript, bindings);
  const converted = convertV4MiniflareOptions({
    host: args.host,
    port: authPort,
    workers: [
      workerOptions('auth', authScript, bindings, { assets: !args['no-dashboard'] }),
      { ...runner, unsafeDirectSockets: [{ host: args.host, port: runnerPort }] },
    ],
  });
  // Miniflare 5 names the persistence root separately from the v4-style worker options.
  const inspector = args['inspector-port'] ? { inspectorPort: Number(args['inspector-port']) } : {};
  return { ...converted, ...inspector, resourcePersistencePath: persistRoot };
}

async function localFakeLlm() {
  const fake = await startFakeLlm();
  log(`✓ no LLM_API_KEY: prompts go to the local fake model at ${fake.url}`);
  return { LLM_PROVIDER: 'anthropic', LLM_API_KEY: 'fake-local-key', LLM_BASE_URL: fake.url };
}

let mf;
try {
  mf = new Miniflare(await options());
  await mf.ready;
} catch (err) {
  console.error(`✗ could not start the platform: ${err.message}`);
  console.error(
    `  Is something else listening on ${authPort} or ${runnerPort}? Try --port/--runner-port.`,
  );
  process.exit(1);
}

const applied = await applyMigrations(await mf.getD1Database('DB', 'moat-auth'), log);
log(applied === 0 ? '✓ database schema up to date' : `✓ applied ${applied} database migration(s)`);

// The first signing key, created now (out of band) rather than by whichever requests come first;
// the JWKS route claims it once in D1 (workers/auth/src/store/first-signing-key.ts).
const jwks = await mf.dispatchFetch(`${bindings.ISSUER}/.well-known/jwks.json`);
const { keys = [] } = jwks.ok ? await jwks.json() : {};
if (keys.length === 0) {
  console.error(
    `✗ no signing key: ${bindings.ISSUER}/.well-known/jwks.json answered ${jwks.status}`,
  );
  console.error(
    '  Check MASTER_KEY in .dev.vars (it must be the one that sealed the stored keys).',
  );
  await mf.dispose();
  process.exit(1);
}
log(`✓ signing key ready (${keys.length} published in the JWKS)`);

log('');
log(`  Moat is running.`);
log(`  Auth + dashboard  ${issuer}`);
log(`  Runner (MCP)      ${runnerOrigin}`);
log(`  Health            ${issuer}/api/health`);
log('');
log(`  Next: open ${issuer}/login to create your account, then create a server.`);
log(`  Ctrl-C stops everything; state is kept in ${resolve(args['persist-to'])}.`);

if (args.watch) {
  let timer;
  for (const dir of ['workers', 'lib', 'web/src']) {
    watch(join(root, dir), { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        try {
          await mf.setOptions(await options());
          log('↻ reloaded');
        } catch (err) {
          console.error(`✗ reload failed: ${err.message}`);
        }
      }, 150);
    });
  }
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  log('\nStopping…');
  await mf.dispose();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
