// Publishes ServerSpecs straight into D1 the way the registry does (servers + server_versions),
// so runner tests need no control plane.
import { env } from 'cloudflare:test';
import { sealSecret, secretAad } from '../../../../lib/crypto/envelope';
import { ServerSpecSchema, type ServerSpecInput } from '../../../../lib/spec/server-spec';

let counter = 0;

export function uniqueSlug(base: string): string {
  return `${base}-${Date.now().toString(36)}${(counter++).toString(36)}`;
}

export function downstream(path: string): string {
  return `${env.DOWNSTREAM_ORIGIN}${path}`;
}

/** A spec with sensible defaults: egress to the local downstream, one read-only tool. */
export function weatherSpec(
  slug: string,
  overrides: Partial<ServerSpecInput> = {},
): ServerSpecInput {
  return {
    name: 'Weather',
    slug,
    description: 'Forecasts from the local test API',
    secrets: [{ name: 'API_KEY' }],
    egress: ['127.0.0.1'],
    tools: [
      {
        name: 'get_forecast',
        description: 'Daily forecast for a city',
        inputSchema: {
          type: 'object',
          properties: { city: { type: 'string', minLength: 1 } },
          required: ['city'],
          additionalProperties: false,
        },
        annotations: { readOnlyHint: true },
        http: {
          method: 'GET',
          url: downstream('/forecast?city={city}'),
          headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
        },
      },
    ],
    ...overrides,
  };
}

/** A read-only tool without arguments that GETs `path` on the downstream. */
export function getTool(
  name: string,
  path: string,
  timeoutMs?: number,
): ServerSpecInput['tools'][number] {
  return {
    name,
    description: name,
    inputSchema: { type: 'object', properties: {} },
    annotations: { readOnlyHint: true },
    http: { method: 'GET', url: downstream(path), ...(timeoutMs ? { timeoutMs } : {}) },
  };
}

/** A write tool (no annotations, so mcp:write) that POSTs to the downstream echo under `tag`. */
export function addCityTool(tag: string): ServerSpecInput['tools'][number] {
  return {
    name: 'add_city',
    description: 'Adds a city',
    inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
    http: { method: 'POST', url: downstream(`/echo?tag=${tag}`) },
  };
}

export type Seeded = { id: string; orgId: string; slug: string };

export async function publishServer(input: ServerSpecInput): Promise<Seeded> {
  const spec = ServerSpecSchema.parse(input);
  const id = `srv_${crypto.randomUUID().replaceAll('-', '')}`;
  const orgId = `org_${crypto.randomUUID().replaceAll('-', '')}`;
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      'INSERT INTO orgs (id, name, personal, plan, created_at) VALUES (?, ?, 1, ?, ?)',
    ).bind(orgId, 'Test org', 'free', now),
    env.DB.prepare(
      `INSERT INTO servers (id, org_id, slug, name, description, visibility, current_version,
         created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, 'usr_owner', ?, ?)`,
    ).bind(id, orgId, spec.slug, spec.name, spec.description ?? null, spec.visibility, now, now),
    env.DB.prepare(
      `INSERT INTO server_versions (server_id, version, spec, created_by, created_at)
       VALUES (?, 1, ?, 'usr_owner', ?)`,
    ).bind(id, JSON.stringify(spec), now),
  ]);
  return { id, orgId, slug: spec.slug };
}

export async function publishNewVersion(server: Seeded, input: ServerSpecInput): Promise<number> {
  const spec = ServerSpecSchema.parse(input);
  const row = await env.DB.prepare('SELECT current_version AS v FROM servers WHERE id = ?')
    .bind(server.id)
    .first<{ v: number }>();
  const version = row!.v + 1;
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO server_versions (server_id, version, spec, created_by, created_at)
       VALUES (?, ?, ?, 'usr_owner', ?)`,
    ).bind(server.id, version, JSON.stringify(spec), Date.now()),
    env.DB.prepare('UPDATE servers SET current_version = ? WHERE id = ?').bind(version, server.id),
  ]);
  return version;
}

export async function setSecret(server: Seeded, name: string, value: string): Promise<void> {
  const e = await sealSecret(env.MASTER_KEY, value, secretAad(server.id, name));
  await env.DB.prepare(
    `INSERT OR REPLACE INTO secrets (server_id, name, ciphertext, iv, wrapped_key, key_version,
       updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'usr_owner', ?)`,
  )
    .bind(server.id, name, e.ciphertext, e.iv, e.wrappedKey, e.keyVersion, Date.now())
    .run();
}

/** Publishes `input` and stores the API_KEY its tools send: the setup most runner tests share. */
export async function publishWithApiKey(input: ServerSpecInput, apiKey: string): Promise<Seeded> {
  const server = await publishServer(input);
  await setSecret(server, 'API_KEY', apiKey);
  return server;
}

/**
 * `weatherSpec` under a fresh slug from `base`, published with its API_KEY; `addCity` adds the
 * write tool posting to the downstream echo under that tag, `tools` more tools after it.
 */
export async function publishWeather(
  base: string,
  o: {
    apiKey: string;
    addCity?: string;
    tools?: ServerSpecInput['tools'];
    overrides?: Partial<ServerSpecInput>;
  },
): Promise<Seeded> {
  const spec = weatherSpec(uniqueSlug(base), o.overrides);
  if (o.addCity !== undefined) spec.tools.push(addCityTool(o.addCity));
  spec.tools.push(...(o.tools ?? []));
  return publishWithApiKey(spec, o.apiKey);
}

export async function downstreamRequests(
  tag: string,
): Promise<
  { method: string; url: string; headers: Record<string, string>; body: string; aborted: boolean }[]
> {
  const res = await fetch(downstream(`/__requests?tag=${encodeURIComponent(tag)}`));
  return res.json();
}
