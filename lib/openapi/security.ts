// OpenAPI security schemes → declared secrets and the header that carries each one.
// Secrets go in headers only, never in the URL (DESIGN §4): an API key scheme "in: query" is refused.
// OAuth authorization-code and OpenID Connect schemes become per-user connections
// (connection-scheme.ts); their declared secret is then the connection's client secret.
import { clientSecretNameFor, connectionFor, type ConnectionProposal } from './connection-scheme';
import { isObject, type OpenApiObject } from './document';

export interface SecretPlacement {
  /** The ServerSpec secret name (UPPER_SNAKE_CASE). */
  secret: string;
  description: string;
  header: string;
  /** Header value template, e.g. "Bearer {{secrets.GITHUB_TOKEN}}". */
  value: string;
  warning?: string;
  /** Set when the header carries each user's own token from this connection. */
  connection?: ConnectionProposal;
}

export type SchemeResult = { ok: true; placement: SecretPlacement } | { ok: false; reason: string };

/** UPPER_SNAKE_CASE of a scheme name with a suffix that says what the secret holds. */
export function secretNameFor(scheme: string, suffix: 'KEY' | 'TOKEN' | 'CREDENTIALS'): string {
  let base = scheme
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  if (!/^[A-Z]/.test(base)) base = `API_${base}`;
  if (!base.endsWith(suffix) && !(suffix === 'KEY' && base.endsWith('TOKEN'))) {
    base = `${base}_${suffix}`;
  }
  return base.slice(0, 64).replace(/_+$/, '');
}

/**
 * How one security scheme maps to a secret (or a connection), or why it cannot. `connections`
 * names the connection each OAuth scheme becomes; `requiredScopes` is the requirement's list.
 */
export function placeScheme(
  name: string,
  scheme: unknown,
  requiredScopes: unknown = [],
  connections: ReadonlyMap<string, string> = new Map(),
): SchemeResult {
  if (!isObject(scheme)) return { ok: false, reason: `security scheme "${name}" is not defined` };
  const connectionName = connections.get(name);
  if (connectionName) {
    const c = connectionFor(name, scheme, connectionName, requiredScopes);
    if (c.ok === false) return c;
    if (c.ok === true) {
      const secret = clientSecretNameFor(connectionName);
      return {
        ok: true,
        placement: {
          secret,
          description: `Client secret of the OAuth app registered at the provider for the "${connectionName}" connection`,
          header: 'Authorization',
          value: `Bearer {{connections.${connectionName}.access_token}}`,
          connection: c.connection,
        },
      };
    }
  }
  const type = scheme.type;
  if (type === 'apiKey') {
    const where = scheme.in;
    const param = typeof scheme.name === 'string' ? scheme.name : '';
    if (!param) return { ok: false, reason: `API key scheme "${name}" has no parameter name` };
    const secret = secretNameFor(name, 'KEY');
    if (where === 'header') {
      return {
        ok: true,
        placement: {
          secret,
          description: `API key sent in the ${param} header`,
          header: param,
          value: `{{secrets.${secret}}}`,
        },
      };
    }
    if (where === 'cookie') {
      return {
        ok: true,
        placement: {
          secret,
          description: `API key sent as the ${param} cookie`,
          header: 'Cookie',
          value: `${param}={{secrets.${secret}}}`,
        },
      };
    }
    return {
      ok: false,
      reason: `API key scheme "${name}" sends the key in the URL query ("${param}"); Moat never puts secrets in URLs, where they end up in logs. Use a header-based scheme if the API offers one.`,
    };
  }
  if (type === 'http') {
    const httpScheme = String(scheme.scheme ?? '').toLowerCase();
    if (httpScheme === 'bearer') {
      const secret = secretNameFor(name, 'TOKEN');
      return {
        ok: true,
        placement: {
          secret,
          description: `Bearer token${typeof scheme.bearerFormat === 'string' ? ` (${scheme.bearerFormat})` : ''}`,
          header: 'Authorization',
          value: `Bearer {{secrets.${secret}}}`,
        },
      };
    }
    if (httpScheme === 'basic') {
      const secret = secretNameFor(name, 'CREDENTIALS');
      return {
        ok: true,
        placement: {
          secret,
          description: 'HTTP Basic credentials: base64 of "username:password"',
          header: 'Authorization',
          value: `Basic {{secrets.${secret}}}`,
        },
      };
    }
    return { ok: false, reason: `HTTP auth scheme "${httpScheme}" (${name}) is not supported` };
  }
  if (type === 'oauth2' || type === 'openIdConnect') {
    const secret = secretNameFor(name, 'TOKEN');
    return {
      ok: true,
      placement: {
        secret,
        description: `OAuth access token for the API (${name})`,
        header: 'Authorization',
        value: `Bearer {{secrets.${secret}}}`,
        warning: `"${name}" is an OAuth scheme: set ${secret} to an access token for the API. Moat does not run that OAuth flow; replace the token when it expires.`,
      },
    };
  }
  return {
    ok: false,
    reason: `security scheme "${name}" of type ${String(type)} is not supported`,
  };
}

export type SecurityChoice =
  { ok: true; placements: SecretPlacement[] } | { ok: false; reason: string };

/**
 * OpenAPI security requirements are alternatives (OR) of scheme sets (AND). Picks the first
 * alternative whose every scheme Moat can place; an empty alternative means "no auth needed".
 */
export function chooseSecurity(
  requirements: unknown,
  schemes: OpenApiObject,
  connections: ReadonlyMap<string, string> = new Map(),
): SecurityChoice {
  if (!Array.isArray(requirements) || requirements.length === 0)
    return { ok: true, placements: [] };
  const reasons: string[] = [];
  for (const requirement of requirements) {
    if (!isObject(requirement)) continue;
    const names = Object.keys(requirement);
    if (names.length === 0) return { ok: true, placements: [] };
    const results = names.map((n) => placeScheme(n, schemes[n], requirement[n], connections));
    const failed = results.find((r) => !r.ok);
    if (!failed) {
      return {
        ok: true,
        placements: results.map((r) => (r as { placement: SecretPlacement }).placement),
      };
    }
    reasons.push((failed as { reason: string }).reason);
  }
  return { ok: false, reason: reasons[0] ?? 'no usable security scheme' };
}
