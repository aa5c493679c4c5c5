#!/usr/bin/env node
// `npm run deploy`: ships Moat to your Cloudflare account with wrangler.
//
//   1. finds or creates the D1 database and the KV namespace,
//   2. writes deploy configs (dist/deploy/*.toml) from wrangler.toml with their real ids and your
//      origins — ALLOW_PRIVATE_EGRESS is always empty there,
//   3. sets MASTER_KEY on both Workers (the same value: the runner decrypts what the auth Worker
//      encrypts),
//   4. applies D1 migrations remotely, creates the first signing key if there is none (claimed in
//      D1, then written to KV, before any Worker can race for it), deploys the runner, then the
//      auth Worker (it binds the runner),
//   5. builds the dashboard and deploys it to Cloudflare Pages (when web/ has a build).
//
// Options (or environment variables):
//   --issuer URL          public origin of the auth Worker           (MOAT_ISSUER)
//   --runner-origin URL   public origin of the runner Worker         (MOAT_RUNNER_ORIGIN)
//   --pages-project NAME  Cloudflare Pages project for the dashboard (MOAT_PAGES_PROJECT, default moat-dashboard)
//   --dry-run             write the configs and bundle both Workers, touch nothing remote
// MASTER_KEY: taken from MOAT_MASTER_KEY; when absent on a first deploy a new one is generated and
// printed once — store it in your password manager; losing it loses every stored secret.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importSigningKeys } from './lib/signing-keys.mjs';
import { root } from './lib/workers.mjs';

const PLACEHOLDER_D1 = '6f1b6f3e-0000-4000-8000-00000000d1d1';
const PLACEHOLDER_KV = '6f1b6f3e00004000800000000000c0de';

const { values: args } = parseArgs({
  options: {
    issuer: { type: 'string', default: process.env.MOAT_ISSUER },
    'runner-origin': { type: 'string', default: process.env.MOAT_RUNNER_ORIGIN },
    'pages-project': {
      type: 'string',
      default: process.env.MOAT_PAGES_PROJECT ?? 'moat-dashboard',
    },
    'dry-run': { type: 'boolean', default: false },
  },
});
const dryRun = args['dry-run'];
// WRANGLER_LOG back to wrangler's default: lib/workers.mjs quiets it to `error` for its in-process
// config reads, and at that level wrangler prints nothing, not even the `--json` answers read here.
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'log' };
const step = (msg) => console.log(`\n▸ ${msg}`);

function fail(message, next) {
  console.error(`✗ ${message}`);
  if (next) console.error(`  Next: ${next}`);
  process.exit(1);
}

function wrangler(argv, { input, capture = false } = {}) {
  const res = spawnSync('npx', ['wrangler', ...argv], {
    cwd: root,
    env,
    input,
    encoding: 'utf8',
    stdio: capture || input !== undefined ? ['pipe', 'pipe', 'inherit'] : 'inherit',
  });
  if (res.status !== 0)
    fail(`wrangler ${argv.slice(0, 3).join(' ')} failed`, 'see the output above');
  return res.stdout ?? '';
}

function origin(value, flag) {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && !dryRun) fail(`${flag} must be an https origin`);
    return url.origin;
  } catch {
    return fail(`${flag} is not a URL: ${value}`);
  }
}

const issuer = origin(args.issuer, '--issuer') ?? (dryRun ? 'https://auth.example.com' : undefined);
const runnerOrigin =
  origin(args['runner-origin'], '--runner-origin') ??
  (dryRun ? 'https://mcp.example.com' : undefined);
if (!issuer || !runnerOrigin) {
  fail(
    'the public origins are required',
    'npm run deploy -- --issuer https://auth.example.com --runner-origin https://mcp.example.com ' +
      '(route both to the Workers in the Cloudflare dashboard, or use their workers.dev URLs)',
  );
}

let d1Id = PLACEHOLDER_D1;
let kvId = PLACEHOLDER_KV;
if (!dryRun) {
  step('checking your Cloudflare login');
  wrangler(['whoami']);

  step('D1 database "moat"');
  const databases = JSON.parse(wrangler(['d1', 'list', '--json'], { capture: true }) || '[]');
  d1Id = databases.find((d) => d.name === 'moat')?.uuid;
  if (!d1Id) {
    const out = wrangler(['d1', 'create', 'moat'], { capture: true });
    d1Id = /"?database_id"?\s*[=:]\s*"([0-9a-f-]{36})"/.exec(out)?.[1];
    if (!d1Id) fail('could not read the new database id from wrangler', 'run `wrangler d1 list`');
  }
  console.log(`  ${d1Id}`);

  step('KV namespace "moat"');
  const namespaces = JSON.parse(wrangler(['kv', 'namespace', 'list'], { capture: true }) || '[]');
  kvId = namespaces.find((n) => n.title === 'moat')?.id;
  if (!kvId) {
    const out = wrangler(['kv', 'namespace', 'create', 'moat'], { capture: true });
    kvId = /"?id"?\s*[=:]\s*"([0-9a-f]{32})"/.exec(out)?.[1];
    if (!kvId)
      fail('could not read the new namespace id from wrangler', 'run `wrangler kv namespace list`');
  }
  console.log(`  ${kvId}`);
}

step('writing deploy configs to dist/deploy/');
const outDir = join(root, 'dist/deploy');
mkdirSync(outDir, { recursive: true });
function deployConfig(source, target, baseDir) {
  let toml = readFileSync(join(root, source), 'utf8')
    .replaceAll(PLACEHOLDER_D1, d1Id)
    .replaceAll(PLACEHOLDER_KV, kvId)
    .replace(/^ISSUER = .*$/m, `ISSUER = "${issuer}"`)
    .replace(/^RUNNER_ORIGIN = .*$/m, `RUNNER_ORIGIN = "${runnerOrigin}"`)
    .replace(/^ALLOW_PRIVATE_EGRESS = .*$/m, 'ALLOW_PRIVATE_EGRESS = ""');
  // Paths in a wrangler config are relative to the file; the copy lives elsewhere.
  toml = toml
    .replace(/^main = "(.*)"$/m, (_, p) => `main = "${join(root, baseDir, p)}"`)
    .replace(/^migrations_dir = "(.*)"$/m, (_, p) => `migrations_dir = "${join(root, baseDir, p)}"`)
    .replace(/^directory = "(.*)"$/m, (_, p) => `directory = "${join(root, baseDir, p)}"`);
  const path = join(outDir, target);
  writeFileSync(path, toml);
  return path;
}
const authConfig = deployConfig('wrangler.toml', 'auth.toml', '.');
const runnerConfig = deployConfig('workers/runner/wrangler.toml', 'runner.toml', 'workers/runner');
console.log(`  ${authConfig}\n  ${runnerConfig}`);

const webBuilt = existsSync(join(root, 'web/vite.config.ts'));
if (webBuilt) {
  step('building the dashboard');
  execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
}

if (dryRun) {
  step('bundling both Workers (dry run)');
  wrangler(['deploy', '--dry-run', '--outdir', 'dist/deploy/runner', '--config', runnerConfig]);
  wrangler(['deploy', '--dry-run', '--outdir', 'dist/deploy/auth', '--config', authConfig]);
  console.log('\n✓ dry run complete: nothing was created or deployed.');
  process.exit(0);
}

step('MASTER_KEY on both Workers');
let masterKey = process.env.MOAT_MASTER_KEY;
if (!masterKey) {
  masterKey = randomBytes(32).toString('base64');
  console.log('  Generated a new MASTER_KEY. Store it safely; it is shown only now:');
  console.log(`  ${masterKey}`);
  console.log('  Next deploys: MOAT_MASTER_KEY=<that value> npm run deploy -- …');
}
wrangler(['secret', 'put', 'MASTER_KEY', '--config', runnerConfig], { input: masterKey });
wrangler(['secret', 'put', 'MASTER_KEY', '--config', authConfig], { input: masterKey });

step('applying D1 migrations (remote)');
wrangler(['d1', 'migrations', 'apply', 'DB', '--remote', '--config', authConfig]);

step('first signing key');
await ensureFirstSigningKey();

step('deploying the runner Worker');
wrangler(['deploy', '--config', runnerConfig]);
step('deploying the auth Worker');
wrangler(['deploy', '--config', authConfig]);

if (webBuilt) {
  step(`deploying the dashboard to Pages project "${args['pages-project']}"`);
  wrangler(['pages', 'deploy', 'web/dist', '--project-name', args['pages-project']]);
}

console.log(`\n✓ Moat is deployed.\n  Auth + API  ${issuer}\n  MCP runner  ${runnerOrigin}`);
console.log(`  Check it: curl ${issuer}/api/health`);

/**
 * The first signing key, out of band: claimed in D1 `first_signing_key` (the same one-row
 * compare-and-set the AS uses, workers/auth/src/store/first-signing-key.ts), then written to KV.
 * A platform that already has an active key is left alone; rerunning is harmless.
 */
async function ensureFirstSigningKey() {
  const kv = ['--namespace-id', kvId, '--remote'];
  const listed = JSON.parse(
    wrangler(['kv', 'key', 'list', '--prefix', 'signing-key:active', ...kv], { capture: true }) ||
      '[]',
  );
  if (listed.some((k) => k.name === 'signing-key:active')) {
    console.log('  an active key exists');
    return;
  }
  const { newFirstSigningKey } = await importSigningKeys();
  const candidate = await newFirstSigningKey(masterKey);
  const sqlText = (v) => `'${String(v).replaceAll("'", "''")}'`;
  const out = wrangler(
    [
      'd1',
      'execute',
      'DB',
      '--remote',
      '--json',
      '--config',
      authConfig,
      '--command',
      `INSERT INTO first_signing_key (slot, kid, record, created_at) VALUES ('first', ${sqlText(candidate.kid)}, ${sqlText(JSON.stringify(candidate))}, ${candidate.createdAt}) ON CONFLICT (slot) DO NOTHING; SELECT record FROM first_signing_key WHERE slot = 'first';`,
    ],
    { capture: true },
  );
  const row = JSON.parse(out)
    .flatMap((r) => r.results ?? [])
    .find((r) => r.record);
  if (!row) fail('could not read the first signing key back from D1', 'run `npm run deploy` again');
  const record = JSON.parse(row.record);
  const file = join(outDir, 'first-signing-key.json');
  writeFileSync(
    file,
    JSON.stringify([
      { key: `signing-key:${record.kid}`, value: JSON.stringify(record) },
      { key: 'jwks', value: JSON.stringify({ keys: [record.publicJwk] }) },
      { key: 'signing-key:active', value: record.kid },
    ]),
    { mode: 0o600 },
  );
  try {
    wrangler(['kv', 'bulk', 'put', file, ...kv]);
  } finally {
    rmSync(file, { force: true });
  }
  console.log(`  ${record.kid} (${record.kid === candidate.kid ? 'created' : 'claimed earlier'})`);
}
