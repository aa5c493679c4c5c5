// One hosted server on the runner Worker alone, on embedded Miniflare (workerd), for the runner's
// benches (scripts/bench/runner.mjs, scripts/bench/runner-profile.mjs): D1 migrated and seeded
// with the server, its sealed API_KEY secret and `rules` live revocation rules that match no
// bench token; KV holding the JWKS of a key standing in for the AS. The tool GETs `downstream`
// with the secret in a header.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { join } from 'node:path';
import { build } from 'esbuild';
import { applyMigrations } from '../lib/migrations.mjs';
import { bundleWorker, root, workerOptions } from '../lib/workers.mjs';
import { mcpHeaders, openMcpSession } from './mcp-session.mjs';

export const MASTER_KEY = 'YmVuY2gtb25seS1tYXN0ZXIta2V5LTMyLWJ5dGVzISE=';
export const SLUG = 'bench';
export const DOWNSTREAM_SECRET = 'bench-secret-value';

const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
const kid = 'bench-1';
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };

const specFor = (downstreamOrigin) => ({
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
});

let envelope;
const loadEnvelope = () =>
  (envelope ??= build({
    entryPoints: [join(root, 'lib/crypto/envelope.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: join(root, 'dist/bench/envelope.mjs'),
    logLevel: 'error',
  }).then(() => import(join(root, 'dist/bench/envelope.mjs'))));

/**
 * Seeding goes through Miniflare's proxy over a keep-alive socket, which a busy workerd may close
 * just as it is reused (undici UND_ERR_SOCKET "other side closed"): tried once more. Only
 * idempotent-enough writes go through this (a duplicated non-matching rule changes nothing).
 */
async function retried(op) {
  try {
    return await op();
  } catch (err) {
    if (err?.cause?.code !== 'UND_ERR_SOCKET') throw err;
    return op();
  }
}

/**
 * Starts bundle `name` (built with esbuild `plugins`, scripts/bench/substitutes.mjs) with extra
 * `env` bindings; `miniflare` adds top-level Miniflare options (e.g. `inspectorPort`); `entry`
 * bundles another checkout's runner instead (a before/after comparison).
 */
export async function startRunner({
  name,
  plugins = [],
  env = {},
  rules = 0,
  downstreamOrigin,
  miniflare = {},
  entry,
}) {
  const script = await bundleWorker('runner', join(root, 'dist/bench', name), plugins, entry);
  const runner = workerOptions('runner', script, {
    ...env,
    MASTER_KEY,
    ALLOW_PRIVATE_EGRESS: '1',
    ISSUER: 'http://127.0.0.1:8787',
    RUNNER_ORIGIN: 'http://127.0.0.1:8788',
    SERVER_REVALIDATE_MS: '5000',
  });
  const mf = new Miniflare(
    convertV4MiniflareOptions({ host: '127.0.0.1', port: 0, workers: [runner], ...miniflare }),
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
      .bind(JSON.stringify(specFor(downstreamOrigin)), now),
  ]);
  // Sealed with the same runtime-neutral lib the registry uses (bundled for Node by esbuild).
  const { sealSecret, secretAad } = await loadEnvelope();
  const e = await sealSecret(MASTER_KEY, DOWNSTREAM_SECRET, secretAad('srv_b', 'API_KEY'));
  await db
    .prepare(
      `INSERT INTO secrets (server_id, name, ciphertext, iv, wrapped_key, key_version, updated_by, updated_at)
       VALUES ('srv_b', 'API_KEY', ?, ?, ?, ?, 'usr_b', ?)`,
    )
    .bind(e.ciphertext, e.iv, e.wrappedKey, e.keyVersion, now)
    .run();
  // Live rules that name other grants, subjects and servers (what a busy AS leaves behind).
  const rule = db.prepare(
    `INSERT INTO token_revocations
       (server_id, org_id, sub, client_id, grant_id, issued_before, expires_at, reason, created_at)
     VALUES (?, ?, ?, NULL, ?, ?, ?, 'grant_revoked', ?)`,
  );
  const rows = Array.from({ length: rules }, (_, i) =>
    rule.bind(
      i % 3 === 0 ? `srv_other${i}` : null,
      i % 3 === 1 ? 'org_b' : null,
      i % 3 === 1 ? `usr_other${i}` : null,
      i % 3 === 2 ? `gr_other${i}` : null,
      now,
      now + 3_660_000,
      now,
    ),
  );
  for (let i = 0; i < rows.length; i += 100) await retried(() => db.batch(rows.slice(i, i + 100)));
  const kv = await retried(() => mf.getKVNamespace('KV', 'moat-runner'));
  await retried(() => kv.put('jwks', JSON.stringify(jwks)));
  return { mf, db, base: new URL(url).origin };
}

/** An access token for the bench server, signed by the stand-in AS key (RFC 9068 profile). */
export async function token() {
  return new SignJWT({
    sub: 'usr_bench',
    client_id: 'cl_bench',
    server_id: 'srv_b',
    scope: 'mcp:read',
    jti: `gr_bench.${crypto.randomUUID()}`,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
    .setIssuer('http://127.0.0.1:8787')
    .setAudience(`http://127.0.0.1:8788/${SLUG}/mcp`)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

export { mcpHeaders };

/** initialize → the new session's id. */
export const openSession = (base, t) => openMcpSession(`${base}/${SLUG}/mcp`, t, 'bench');

/** The JSON-RPC body of the bench's tools/call or tools/list. */
export const mcpRequest = (method, id) =>
  JSON.stringify(
    method === 'tools/call'
      ? {
          jsonrpc: '2.0',
          id,
          method,
          params: { name: 'get_forecast', arguments: { city: 'Oslo' } },
        }
      : { jsonrpc: '2.0', id, method },
  );
