// A typed OAuth test client for the AS, driving the real endpoints and pages through the Worker:
//   const server = await hostServer(alice);                     // a published hosted server
//   const client = await register();                            // DCR, public client
//   const { code, verifier } = await authorize({ client, user: alice, resource: server.resource });
//   const tokens = await exchangeCode({ client, code, verifier });
//   await refresh({ client, refreshToken: tokens.body.refresh_token });
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { createLocalJWKSet, jwtVerify, type JWTPayload, type JWTHeaderParameters } from 'jose';
import { newId } from '../../../../lib/ids';
import { s256 } from '../../../../lib/oauth/pkce';
import { createServerStatements } from '../../src/store/servers';
import { ORIGIN, type SignedUp } from './accounts';

export const ISSUER = ORIGIN;
export const RUNNER_ORIGIN = 'http://127.0.0.1:8788';
export const REDIRECT_URI = 'http://127.0.0.1:33418/callback';

export function fetchAs(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(path.startsWith('http') ? path : `${ISSUER}${path}`, {
    redirect: 'manual',
    ...init,
  });
}

// ---- hosted servers -------------------------------------------------------------------------

export type HostedServer = { id: string; slug: string; resource: string };

let serverCounter = 0;

/** Publishes a server owned by `owner` (rows as the registry writes them). */
export async function hostServer(
  owner: SignedUp,
  opts: {
    visibility?: 'private' | 'org' | 'public';
    slug?: string;
    scopes?: string[][];
    /** Toolsets over the tools `tool_{i}` (issue 14). */
    toolsets?: { name: string; title?: string; tools: string[] }[];
  } = {},
): Promise<HostedServer> {
  const slug = opts.slug ?? `srv-${Date.now().toString(36)}-${++serverCounter}`;
  const toolScopes = opts.scopes ?? [['mcp:read'], ['mcp:write']];
  const spec = {
    name: `Server ${slug}`,
    slug,
    description: 'A test server',
    visibility: opts.visibility ?? 'private',
    secrets: [],
    egress: ['127.0.0.1'],
    tools: toolScopes.map((scopes, i) => ({
      name: `tool_${i}`,
      description: 'A tool',
      inputSchema: { type: 'object', properties: {} },
      scopes,
      http: {
        method: 'GET',
        url: 'http://127.0.0.1:9/x',
        headers: {},
        body: null,
        timeoutMs: 1000,
      },
    })),
    ...(opts.toolsets ? { toolsets: opts.toolsets } : {}),
  };
  const id = newId('srv');
  await env.DB.batch(
    createServerStatements(env.DB, {
      id,
      orgId: owner.orgId,
      // The spec is written as stored; the registry validated it.
      spec: spec as never,
      createdBy: owner.user.id,
      now: Date.now(),
    }),
  );
  return { id, slug, resource: `${RUNNER_ORIGIN}/${slug}/mcp` };
}

// ---- registration ---------------------------------------------------------------------------

export type Client = {
  client_id: string;
  client_secret?: string;
  redirect_uris?: string[];
  token_endpoint_auth_method: string;
  grant_types: string[];
  [k: string]: unknown;
};

/** Moat's first-party CLI client: known to the AS without registration (lib/oauth/first-party.ts). */
export const MOAT_CLI: Client = {
  client_id: 'moat-cli',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
};

let registrations = 0;

export async function registerRaw(
  metadata: unknown,
  opts: { key?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetchAs('/register', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      // A fresh address per registration, so the per-IP limit only bites where a test wants it.
      'cf-connecting-ip': `198.51.100.${Math.floor(Math.random() * 250)}.${++registrations}`,
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...opts.headers,
    },
    body: typeof metadata === 'string' ? metadata : JSON.stringify(metadata),
  });
}

/** Registers a client (public by default, as MCP clients do) and returns its information. */
export async function register(
  metadata: Record<string, unknown> = {},
  opts: { key?: string } = {},
): Promise<Client> {
  const res = await registerRaw(
    {
      client_name: 'Test MCP Client',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...metadata,
    },
    opts,
  );
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return res.json<Client>();
}

// ---- authorization --------------------------------------------------------------------------

export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const verifier = btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
  return { verifier, challenge: await s256(verifier) };
}

export type AuthorizeOptions = {
  client: Pick<Client, 'client_id'>;
  user?: SignedUp;
  resource?: string;
  scope?: string;
  state?: string;
  redirectUri?: string;
  challenge?: string;
  extra?: Record<string, string>;
};

export function authorizeUrl(o: AuthorizeOptions & { challenge: string }): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: o.client.client_id,
    redirect_uri: o.redirectUri ?? REDIRECT_URI,
    code_challenge: o.challenge,
    code_challenge_method: 'S256',
    state: o.state ?? 'st-123',
    ...(o.resource !== undefined ? { resource: o.resource } : {}),
    ...(o.scope !== undefined ? { scope: o.scope } : {}),
    ...o.extra,
  });
  return `/authorize?${q}`;
}

/** GET /authorize as the signed-in browser of `user` (or signed out). */
export function getAuthorize(url: string, user?: SignedUp): Promise<Response> {
  return fetchAs(url, { headers: user ? { cookie: user.cookie } : {} });
}

export function csrfFromPage(html: string): string {
  const m = /name="csrf_token" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no csrf_token on the page:\n${html.slice(0, 500)}`);
  return m[1]!;
}

/** POST /consent with the authorization request's parameters, as the consent form does. */
export function postConsent(
  params: Record<string, string>,
  user: SignedUp,
  opts: { origin?: string } = {},
): Promise<Response> {
  return fetchAs('/consent', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: user.cookie,
      origin: opts.origin ?? ISSUER,
    },
    body: new URLSearchParams(params).toString(),
  });
}

export type Authorized = {
  code: string;
  verifier: string;
  state: string | null;
  iss: string | null;
  location: URL;
};

/**
 * The whole front channel: GET /authorize, approve on the consent page if it shows, and read the
 * code from the redirect. Throws when the flow does not end in a code.
 */
export async function authorize(
  o: AuthorizeOptions & { user: SignedUp; decision?: 'approve' | 'deny' },
): Promise<Authorized> {
  const { verifier, challenge } = await pkce();
  const url = authorizeUrl({ ...o, challenge });
  let res = await getAuthorize(url, o.user);
  if (res.status === 200) {
    const csrf = csrfFromPage(await res.text());
    const params = Object.fromEntries(new URL(url, ISSUER).searchParams);
    res = await postConsent(
      { ...params, csrf_token: csrf, decision: o.decision ?? 'approve' },
      o.user,
    );
  }
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) {
    throw new Error(`authorize did not redirect: ${res.status} ${await res.text()}`);
  }
  const loc = new URL(location);
  const code = loc.searchParams.get('code');
  if (!code) throw new Error(`authorize redirected without a code: ${location}`);
  return {
    code,
    verifier,
    state: loc.searchParams.get('state'),
    iss: loc.searchParams.get('iss'),
    location: loc,
  };
}

// ---- token endpoint -------------------------------------------------------------------------

export type TokenBody = {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
};

export function tokenRequest(
  params: Record<string, string | undefined>,
  opts: { basic?: [string, string]; json?: boolean; path?: string } = {},
): Promise<Response> {
  const clean = Object.fromEntries(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const headers: Record<string, string> = {
    'content-type': opts.json ? 'application/json' : 'application/x-www-form-urlencoded',
  };
  if (opts.basic) {
    const enc = (s: string) => encodeURIComponent(s);
    headers.authorization = `Basic ${btoa(`${enc(opts.basic[0])}:${enc(opts.basic[1])}`)}`;
  }
  return fetchAs(opts.path ?? '/token', {
    method: 'POST',
    headers,
    body: opts.json ? JSON.stringify(clean) : new URLSearchParams(clean).toString(),
  });
}

export function exchangeCode(o: {
  client: Pick<Client, 'client_id'>;
  code: string;
  verifier: string;
  redirectUri?: string;
  resource?: string;
  json?: boolean;
}): Promise<Response> {
  return tokenRequest(
    {
      grant_type: 'authorization_code',
      client_id: o.client.client_id,
      code: o.code,
      code_verifier: o.verifier,
      redirect_uri: o.redirectUri ?? REDIRECT_URI,
      resource: o.resource,
    },
    { json: o.json },
  );
}

export function refresh(o: {
  client: Pick<Client, 'client_id'>;
  refreshToken: string;
  scope?: string;
  resource?: string;
}): Promise<Response> {
  return tokenRequest({
    grant_type: 'refresh_token',
    client_id: o.client.client_id,
    refresh_token: o.refreshToken,
    scope: o.scope,
    resource: o.resource,
  });
}

export function revoke(o: { client: Client; token: string; hint?: string }): Promise<Response> {
  const secret = o.client.client_secret;
  return tokenRequest(
    {
      token: o.token,
      token_type_hint: o.hint,
      client_id: secret ? undefined : o.client.client_id,
    },
    { path: '/revoke', basic: secret ? [o.client.client_id, secret] : undefined },
  );
}

export function introspect(o: { client: Client; token: string }): Promise<Response> {
  return tokenRequest(
    { token: o.token },
    { path: '/introspect', basic: [o.client.client_id, o.client.client_secret ?? ''] },
  );
}

/** Register → authorize → exchange, for tests about what comes after. */
export async function connect(
  user: SignedUp,
  server: HostedServer,
  o: { scope?: string; client?: Client } = {},
): Promise<{ client: Client; tokens: TokenBody }> {
  const client = o.client ?? (await register());
  const { code, verifier } = await authorize({
    client,
    user,
    resource: server.resource,
    scope: o.scope,
  });
  const res = await exchangeCode({ client, code, verifier });
  if (res.status !== 200) throw new Error(`exchange failed: ${res.status} ${await res.text()}`);
  return { client, tokens: await res.json<TokenBody>() };
}

/** Verifies an access token against the published JWKS in KV, as the runner does. */
export async function verifyWithJwks(
  token: string,
): Promise<{ payload: JWTPayload & Record<string, unknown>; header: JWTHeaderParameters }> {
  const jwks = (await env.KV.get('jwks', 'json')) as { keys: [] };
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: ISSUER,
    typ: 'at+jwt',
    algorithms: ['RS256'],
  });
  return { payload: payload as JWTPayload & Record<string, unknown>, header: protectedHeader };
}

export async function oauthError(res: Response): Promise<string | undefined> {
  const body = await res.json<{ error?: string }>().catch(() => ({}) as { error?: string });
  return body.error;
}

// ---- the runner ------------------------------------------------------------------------------

/** One JSON-RPC POST to a hosted server at the real runner (RUNNER binding) with a bearer token. */
export function runnerRpc(
  resource: string,
  token: string,
  body: unknown,
  sessionId?: string,
): Promise<Response> {
  return env.RUNNER.fetch(resource, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
    },
    body: JSON.stringify(body),
  });
}

/** A 2025-11-25 `initialize` at the runner. */
export function runnerInitialize(resource: string, token: string): Promise<Response> {
  return runnerRpc(resource, token, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 't', version: '1' },
    },
  });
}
