// An ejected Moat server runs the platform's runner code unchanged; what the runner reads from
// the platform's D1 and KV comes from here instead:
// - the server and its spec: baked into this project (../moat-server.json), read-only;
// - its secrets: this Worker's own secrets (`wrangler secret put NAME`), sealed in memory under a
//   per-isolate key so the runner's envelope code opens them as it does on the platform;
// - the AS's public keys: fetched from `{ISSUER}/.well-known/jwks.json` (the platform still
//   issues every token; an unknown `kid` refetches, at most every 10 s);
// - `tool.call` audit events: written to the Worker's logs (Workers Logs) instead of D1;
// - connection health and recorder writes: dropped (they belong to the platform's dashboard);
// - revocation rules: none. The platform's list lives in its D1, which this Worker cannot read, so
//   a revoked token stays valid here until it expires (access-token TTL, 1 h by default). The
//   token's `server_id` is still checked against the baked server id: a token for a server that
//   was deleted, or whose slug now names another server, is refused (docs/runner.md).
import { sealSecret, secretAad } from '../lib/crypto/envelope';
import baked from '../moat-server.json';

export type Baked = {
  server: { id: string; orgId: string; slug: string; version: number };
  spec: { slug: string; secrets: { name: string }[] };
};

const { server, spec } = baked as unknown as Baked;
const SPEC_JSON = JSON.stringify(spec);

type Row = Record<string, unknown>;
type Query = (args: unknown[], env: Record<string, unknown>) => Promise<Row[]>;

let sealedRows: Promise<Row[]> | undefined;
let isolateKey: string | undefined;

/** A key that lives only in this isolate (made on first use: no randomness at global scope). */
function masterKey(): string {
  if (!isolateKey) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    isolateKey = btoa(String.fromCharCode(...bytes));
  }
  return isolateKey;
}

/** The Worker secrets the spec declares, sealed under the isolate's key. */
function sealedSecrets(env: Record<string, unknown>): Promise<Row[]> {
  sealedRows ??= (async () => {
    const rows: Row[] = [];
    for (const { name } of spec.secrets) {
      const value = env[name];
      if (typeof value !== 'string' || value === '') continue;
      const e = await sealSecret(masterKey(), value, secretAad(server.id, name));
      rows.push({
        name,
        ciphertext: e.ciphertext,
        iv: e.iv,
        wrappedKey: e.wrappedKey,
        keyVersion: e.keyVersion,
      });
    }
    return rows;
  })();
  return sealedRows;
}

/** The runner's statements (workers/runner/src/store/*), answered from the baked server. */
function route(sql: string): Query {
  const s = sql.replace(/\s+/g, ' ').trim();
  if (/^SELECT 1 AS one FROM servers/i.test(s)) return async () => [{ one: 1 }];
  if (
    /^SELECT id, org_id AS orgId, slug, current_version AS currentVersion FROM servers WHERE slug = \?/i.test(
      s,
    )
  ) {
    return async ([slug]) =>
      slug === server.slug
        ? [{ id: server.id, orgId: server.orgId, slug, currentVersion: server.version }]
        : [];
  }
  if (/^SELECT spec FROM server_versions WHERE server_id = \? AND version = \?/i.test(s)) {
    return async ([id, version]) =>
      id === server.id && Number(version) === server.version ? [{ spec: SPEC_JSON }] : [];
  }
  if (
    /^SELECT name, ciphertext, iv, wrapped_key AS wrappedKey, key_version AS keyVersion FROM secrets/i.test(
      s,
    )
  ) {
    return async ([id, ...names], env) => {
      if (id !== server.id) return [];
      return (await sealedSecrets(env)).filter((r) => names.includes(r.name));
    };
  }
  if (/^SELECT id, server_id AS serverId, .* FROM token_revocations WHERE id > \?/i.test(s)) {
    return async () => [];
  }
  if (/^INSERT INTO audit_events/i.test(s)) {
    return async (args) => {
      // The column order of lib/db/audit.ts's INSERT.
      const [, ts, orgId, actor, action, resource, , , metadata] = args;
      console.log(JSON.stringify({ audit: action, ts, orgId, actor, resource, metadata }));
      return [];
    };
  }
  if (/^INSERT INTO (client_health|connection_events)/i.test(s)) {
    // Connection health and the recorder live in the platform's D1: not kept here.
    return async () => [];
  }
  throw new Error(`An ejected Moat server cannot run this statement: ${s.slice(0, 80)}`);
}

class BakedStatement {
  readonly #query: Query;
  readonly #args: unknown[];
  readonly #env: Record<string, unknown>;
  constructor(query: Query, args: unknown[], env: Record<string, unknown>) {
    this.#query = query;
    this.#args = args;
    this.#env = env;
  }
  bind(...args: unknown[]) {
    return new BakedStatement(this.#query, args, this.#env);
  }
  async first<T>(): Promise<T | null> {
    return ((await this.#query(this.#args, this.#env))[0] as T) ?? null;
  }
  async all<T>() {
    return { results: (await this.#query(this.#args, this.#env)) as T[], success: true, meta: {} };
  }
  async run() {
    await this.#query(this.#args, this.#env);
    return { results: [], success: true, meta: { changes: 0 } };
  }
  async raw() {
    return (await this.#query(this.#args, this.#env)).map((r) => Object.values(r));
  }
}

function bakedDatabase(env: Record<string, unknown>) {
  return {
    prepare: (sql: string) => new BakedStatement(route(sql), [], env),
    batch: (statements: BakedStatement[]) => Promise.all(statements.map((s) => s.all())),
    exec: async () => ({ count: 0, duration: 0 }),
  };
}

let jwks: { at: number; text: string } | undefined;

/** KV with one key, `jwks`, served from the platform's published JWK Set. */
function remoteJwks(issuer: string) {
  return {
    async get(key: string, type?: string) {
      if (key !== 'jwks') return null;
      if (!jwks || Date.now() - jwks.at > 10_000) {
        const res = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`);
        if (!res.ok) throw new Error(`JWKS fetch failed: ${res.status}`);
        jwks = { at: Date.now(), text: await res.text() };
      }
      return type === 'json' ? JSON.parse(jwks.text) : jwks.text;
    },
  };
}

/** The runner's `Env`, built from an ejected Worker's environment. */
export function runnerEnv(env: Record<string, unknown>): Env {
  return {
    ...env,
    DB: bakedDatabase(env),
    KV: remoteJwks(String(env.ISSUER)),
    MASTER_KEY: masterKey(),
    // The spec never changes under an ejected server: no need to re-check it.
    SERVER_REVALIDATE_MS: '3600000',
    // No tool_metrics table here: calls are in the Workers Logs through the audit line above.
    METRICS_RECORDING: 'off',
  } as unknown as Env;
}
