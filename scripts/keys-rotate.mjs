#!/usr/bin/env node
// `npm run keys:rotate`: starts a signing key rotation (docs/oauth.md "Keys"). The new key is
// published in the JWKS at once and signs only after the activation delay.
//   npm run keys:rotate                         local state (.wrangler/state), as `npm start` uses
//   npm run keys:rotate -- --persist-to DIR     another local state directory
//   npm run keys:rotate -- --delay 0            activate at once (default SIGNING_KEY_ACTIVATION_DELAY_SECONDS)
//   MOAT_API_KEY=moat_sk_… npm run keys:rotate -- --issuer https://auth.example.com
//                                               a deployed platform, through the operator-only API
// Local mode writes the same KV records the AS does, with the MASTER_KEY from .dev.vars; a running
// `npm start` picks the change up within seconds.
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { ensureDevVars } from './lib/dev-vars.mjs';
import { applyMigrations } from './lib/migrations.mjs';
import { importSigningKeys } from './lib/signing-keys.mjs';
import { root, WORKERS } from './lib/workers.mjs';

const { values: args } = parseArgs({
  options: {
    delay: { type: 'string' },
    'persist-to': { type: 'string', default: join(root, '.wrangler/state') },
    issuer: { type: 'string' },
  },
});
const { workerOptions: auth } = unstable_getMiniflareWorkerOptions(WORKERS.auth.config);
const vars = auth.bindings ?? {};
const delaySeconds = Number(args.delay ?? vars.SIGNING_KEY_ACTIVATION_DELAY_SECONDS ?? 300);
if (!Number.isInteger(delaySeconds) || delaySeconds < 0) {
  console.error('--delay must be a whole number of seconds');
  process.exit(2);
}
const when = (ms) => new Date(ms).toISOString();

if (args.issuer) {
  const key = process.env.MOAT_API_KEY;
  if (!key) {
    console.error('Set MOAT_API_KEY to an API key of the platform operator (the first account).');
    process.exit(2);
  }
  const res = await fetch(`${args.issuer.replace(/\/+$/, '')}/v1/signing-keys/rotate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ delaySeconds }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    console.error(`✗ rotation refused: ${res.status} ${body.error?.message ?? ''}`);
    process.exit(1);
  }
  console.log(
    `${body.alreadyPending ? '• a rotation was already pending:' : '✓ published'} ${body.kid}; signs from ${when(body.activatesAt)}`,
  );
  process.exit(0);
}

// Local: the AS's own key code, bundled for Node, on the persisted KV namespace and D1 database.
const mf = new Miniflare({
  ...convertV4MiniflareOptions({
    workers: [
      {
        name: 'moat-auth',
        modules: true,
        script: 'export default { fetch() { return new Response(null, { status: 204 }); } }',
        kvNamespaces: auth.kvNamespaces,
        d1Databases: auth.d1Databases,
      },
    ],
  }),
  resourcePersistencePath: join(resolve(args['persist-to']), 'v3'),
});
try {
  const { rotateSigningKey } = await importSigningKeys();
  const kv = await mf.getKVNamespace('KV', 'moat-auth');
  const db = await mf.getD1Database('DB', 'moat-auth');
  await applyMigrations(db); // the first-key claim table, if this state predates it
  const ttl = Number(vars.ACCESS_TOKEN_TTL_SECONDS ?? 3600);
  const result = await rotateSigningKey(kv, db, {
    masterKey: ensureDevVars().MASTER_KEY,
    retainMs: (ttl + 300) * 1000,
    delayMs: delaySeconds * 1000,
  });
  console.log(
    `${result.pending ? '• a rotation was already pending:' : '✓ published'} ${result.kid}; signs from ${when(result.activatesAt)}`,
  );
  console.log(`  state: ${resolve(args['persist-to'])}`);
} finally {
  await mf.dispose();
}
