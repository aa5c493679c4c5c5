// The refresh request to a connection's provider (RFC 6749 §6): its token endpoint from the spec
// or from the issuer's metadata (RFC 8414 §3, then OpenID Connect Discovery 1.0 §4), the client
// authenticated per RFC 6749 §2.3.1, the answer parsed with zod (§5.1 success, §5.2 error).
// The egress guard applies: the provider's host is allowed because the owner declared it in
// `connections`, but private and loopback addresses are refused (unless ALLOW_PRIVATE_EGRESS),
// credentials in the URL are refused and redirects are not followed (RFC 6749 §3.2).
import { z } from 'zod';
import { readLimited } from '../../../../lib/http/bounded-body';
import type { Connection } from '../../../../lib/spec/connections';
import { egressRefusal } from '../tools/http-tool';

const TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 64 * 1024;
const METADATA_TTL_MS = 10 * 60 * 1000;

const TokenResponseSchema = z.object({
  access_token: z.string().min(1).max(16_384),
  token_type: z.string().max(100).optional(),
  expires_in: z.coerce
    .number()
    .int()
    .positive()
    .max(10 * 365 * 86_400)
    .optional(),
  refresh_token: z.string().min(1).max(16_384).optional(),
  scope: z.string().max(4096).optional(),
});
const TokenErrorSchema = z.object({ error: z.string().max(200) });
const MetadataSchema = z.object({
  issuer: z.string(),
  token_endpoint: z.url(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});

export type ProviderTokens = z.infer<typeof TokenResponseSchema>;

export type RefreshAnswer =
  | { ok: true; tokens: ProviderTokens }
  /** `invalid_grant`: the refresh token is dead; the user must link again (RFC 6749 §5.2). */
  | { ok: false; kind: 'invalid_grant'; reason: string }
  /** Anything else (unreachable, 5xx, malformed): try again later, the link may still be good. */
  | { ok: false; kind: 'unavailable'; reason: string };

type Endpoint = { url: URL; authMethods?: string[] };
type FetchOptions = { allowPrivate: boolean };

const metadataCache = new Map<string, { at: number; endpoint: Endpoint }>();

async function guardedFetch(url: URL, init: RequestInit, o: FetchOptions): Promise<Response> {
  const refusal = egressRefusal(url, [url.host], o.allowPrivate);
  if (refusal) throw new Error(`refused: ${refusal}`);
  if (url.protocol !== 'https:' && !o.allowPrivate) throw new Error('refused: not https');
  return fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
}

async function readJson(res: Response): Promise<unknown> {
  const bytes = await readLimited(res, MAX_BODY_BYTES);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** RFC 8414 §3.1 inserts the well-known segment before the issuer's path; OIDC appends it. */
function metadataUrls(issuer: string): URL[] {
  const u = new URL(issuer);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  return [
    new URL(`/.well-known/oauth-authorization-server${path}`, u.origin),
    new URL(`${path}/.well-known/openid-configuration`, u.origin),
  ];
}

async function tokenEndpoint(c: Connection, o: FetchOptions): Promise<Endpoint> {
  if (c.tokenUrl) return { url: new URL(c.tokenUrl) };
  const issuer = c.issuer!;
  const cached = metadataCache.get(issuer);
  if (cached && Date.now() - cached.at < METADATA_TTL_MS) return cached.endpoint;
  for (const url of metadataUrls(issuer)) {
    const res = await guardedFetch(url, { headers: { accept: 'application/json' } }, o);
    if (!res.ok) {
      await res.body?.cancel();
      continue;
    }
    const parsed = MetadataSchema.safeParse(await readJson(res));
    // RFC 8414 §3.3: the metadata's issuer must be the one it was fetched for.
    if (!parsed.success || parsed.data.issuer.replace(/\/$/, '') !== issuer.replace(/\/$/, '')) {
      continue;
    }
    const endpoint = {
      url: new URL(parsed.data.token_endpoint),
      authMethods: parsed.data.token_endpoint_auth_methods_supported,
    };
    metadataCache.set(issuer, { at: Date.now(), endpoint });
    return endpoint;
  }
  throw new Error('the provider metadata could not be read');
}

/** RFC 6749 §2.3.1: Basic with form-encoded id and secret, unless the provider only takes POST. */
function clientAuth(c: Connection, secret: string | undefined, e: Endpoint, form: URLSearchParams) {
  const headers = new Headers({
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'user-agent': 'moat-runner',
  });
  const postOnly =
    e.authMethods?.includes('client_secret_post') && !e.authMethods.includes('client_secret_basic');
  if (secret === undefined || postOnly) {
    form.set('client_id', c.clientId);
    if (secret !== undefined) form.set('client_secret', secret);
  } else {
    const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
    headers.set('authorization', `Basic ${btoa(`${enc(c.clientId)}:${enc(secret)}`)}`);
  }
  return headers;
}

export async function refreshAtProvider(
  c: Connection,
  refreshToken: string,
  clientSecret: string | undefined,
  o: FetchOptions,
): Promise<RefreshAnswer> {
  let res: Response;
  try {
    const endpoint = await tokenEndpoint(c, o);
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const headers = clientAuth(c, clientSecret, endpoint, form);
    res = await guardedFetch(endpoint.url, { method: 'POST', headers, body: form }, o);
  } catch (err) {
    const message = err instanceof Error ? err.message : 'failed';
    const reason = message.startsWith('refused') ? message : 'the provider could not be reached';
    return { ok: false, kind: 'unavailable', reason };
  }
  let body: unknown;
  try {
    body = await readJson(res);
  } catch {
    return { ok: false, kind: 'unavailable', reason: 'the provider answer was too large' };
  }
  if (res.ok) {
    const tokens = TokenResponseSchema.safeParse(body);
    if (tokens.success) return { ok: true, tokens: tokens.data };
    return { ok: false, kind: 'unavailable', reason: 'the provider answer was malformed' };
  }
  const error = TokenErrorSchema.safeParse(body);
  if (res.status === 400 && error.success && error.data.error === 'invalid_grant') {
    return { ok: false, kind: 'invalid_grant', reason: 'the provider refused the refresh token' };
  }
  return {
    ok: false,
    kind: 'unavailable',
    reason: `the provider answered ${res.status}${error.success ? ` ${error.data.error}` : ''}`,
  };
}
