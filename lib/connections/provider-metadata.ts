// A connection's provider endpoints: given in the ServerSpec, or read from the issuer's metadata —
// RFC 8414 §3 (`/.well-known/oauth-authorization-server`, path-inserted for an issuer with a
// path) first, then OpenID Connect Discovery 1.0 §4 (`/.well-known/openid-configuration`,
// appended). The document's `issuer` must equal the configured one exactly (RFC 8414 §3.3), or a
// metadata document could send users and client secrets to another server.
import { z } from 'zod';
import type { Connection } from '../spec/connections';
import { ProviderError, providerRequest, type ProviderFetchOptions } from './provider-fetch';

export type ProviderEndpoints = {
  /** The issuer the authorization response's `iss` must equal (RFC 9207 §2.4), when known. */
  issuer: string | undefined;
  authorizationUrl: string;
  tokenUrl: string;
  revocationUrl: string | undefined;
  /** RFC 9207 §3: the provider promises `iss` in every authorization response. */
  issParameterSupported: boolean;
};

const MetadataSchema = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  revocation_endpoint: z.string().optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
});

/** RFC 8414 §3.1 then OpenID Connect Discovery §4.1, in the order tried. */
export function metadataUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/$/, '');
  return [
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
    `${u.origin}${path}/.well-known/openid-configuration`,
  ];
}

const cache = new Map<string, { at: number; endpoints: ProviderEndpoints }>();
const CACHE_MS = 5 * 60_000;

async function discover(issuer: string, opts: ProviderFetchOptions): Promise<ProviderEndpoints> {
  const hit = cache.get(issuer);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.endpoints;
  let lastProblem = 'no metadata document';
  for (const url of metadataUrls(issuer)) {
    const { status, json } = await providerRequest(
      url,
      { headers: { accept: 'application/json' } },
      opts,
    );
    if (status !== 200) {
      lastProblem = `${url} answered ${status}`;
      continue;
    }
    const parsed = MetadataSchema.safeParse(json);
    if (!parsed.success) {
      lastProblem = `${url} is not authorization server metadata`;
      continue;
    }
    if (parsed.data.issuer !== issuer) {
      // RFC 8414 §3.3: MUST NOT be used. Not retried with the other document either.
      throw new ProviderError(`${url} names issuer ${parsed.data.issuer}, not ${issuer}`);
    }
    const endpoints: ProviderEndpoints = {
      issuer,
      authorizationUrl: parsed.data.authorization_endpoint,
      tokenUrl: parsed.data.token_endpoint,
      revocationUrl: parsed.data.revocation_endpoint,
      issParameterSupported: parsed.data.authorization_response_iss_parameter_supported === true,
    };
    cache.set(issuer, { at: Date.now(), endpoints });
    return endpoints;
  }
  throw new ProviderError(`no metadata for issuer ${issuer}: ${lastProblem}`);
}

/** The endpoints to use for a connection; the spec's own URLs win over discovered ones. */
export async function providerEndpoints(
  connection: Connection,
  opts: ProviderFetchOptions,
): Promise<ProviderEndpoints> {
  if (connection.authorizationUrl && connection.tokenUrl) {
    return {
      issuer: connection.issuer,
      authorizationUrl: connection.authorizationUrl,
      tokenUrl: connection.tokenUrl,
      revocationUrl: connection.revocationUrl,
      issParameterSupported: false,
    };
  }
  if (!connection.issuer) throw new ProviderError('the connection names no issuer or endpoints');
  const found = await discover(connection.issuer, opts);
  return connection.revocationUrl ? { ...found, revocationUrl: connection.revocationUrl } : found;
}
