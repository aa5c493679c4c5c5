// OpenAPI OAuth security schemes → per-user connections (issue 13, docs/connections.md).
// An `oauth2` scheme with an `authorizationCode` flow (OAS 3 §4.8.27–4.8.29) or an `openIdConnect`
// scheme is an API where each person must act as themselves: each end user links their own account
// and the tool sends that user's token (RFC 6750 §2.1 bearer header). The other OAuth flows
// (implicit, password, clientCredentials) have no per-user authorization-code step Moat could run,
// so security.ts keeps treating them as one shared token secret.
import type { Connection } from '../spec/connections';
import { isObject, type OpenApiObject } from './document';

export interface ConnectionProposal {
  /** The ServerSpec connection name (`[a-z][a-z0-9_]{0,39}`). */
  name: string;
  /** The OpenAPI security scheme it came from. */
  scheme: string;
  issuer?: string;
  authorizationUrl?: string;
  tokenUrl?: string;
  /** The scopes this one operation's security requirement lists (OAS 3 §4.8.30). */
  scopes: string[];
}

export type ConnectionResult =
  | { ok: true; connection: ConnectionProposal }
  | { ok: false; reason: string }
  /** Not a per-user scheme (e.g. oauth2 with only a clientCredentials flow). */
  | { ok: 'not-applicable' };

const GENERIC_SUFFIX = /_?(o_?auth_?2?|auth|oidc|open_?id(_?connect)?|sso|login)$/;

/** "github_oauth" → "github", "GoogleOAuth2" → "google"; "oauth2" → the title's first word. */
function baseName(scheme: string, title: string): string {
  const snake = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+|_+$/g, '');
  const fromScheme = snake(scheme).replace(GENERIC_SUFFIX, '').replace(/_+$/, '');
  if (fromScheme) return fromScheme.slice(0, 36).replace(/_+$/, '');
  const word = snake(title).split('_')[0] ?? '';
  return word.length >= 2 ? word.slice(0, 36) : 'oauth';
}

/**
 * One connection name per OAuth scheme of the document that can be a connection, unique within it.
 * Decided for the whole document up front so every operation using a scheme names the same one.
 */
export function connectionNames(schemes: OpenApiObject, title: string): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const [scheme, def] of Object.entries(schemes)) {
    if (!isObject(def) || (def.type !== 'oauth2' && def.type !== 'openIdConnect')) continue;
    const base = baseName(scheme, title);
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    out.set(scheme, name);
  }
  return out;
}

/** The secret that holds the connection's OAuth client secret: github → GITHUB_CLIENT_SECRET. */
export const clientSecretNameFor = (connection: string): string =>
  `${connection.toUpperCase()}_CLIENT_SECRET`;

const absoluteHttp = (u: unknown): u is string => {
  if (typeof u !== 'string') return false;
  try {
    const url = new URL(u);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.hash;
  } catch {
    return false;
  }
};

const DISCOVERY_SUFFIX = '/.well-known/openid-configuration';

/**
 * OpenID Connect Discovery 1.0 §4: the configuration lives at issuer + DISCOVERY_SUFFIX, so the
 * issuer is the URL without it. RFC 8414 §3 inserts its well-known segment between host and path.
 */
export function issuerFromDiscoveryUrl(discoveryUrl: string): string | undefined {
  if (!absoluteHttp(discoveryUrl)) return undefined;
  const url = new URL(discoveryUrl);
  url.search = '';
  if (url.pathname.endsWith(DISCOVERY_SUFFIX)) {
    url.pathname = url.pathname.slice(0, -DISCOVERY_SUFFIX.length);
  } else if (url.pathname.startsWith('/.well-known/oauth-authorization-server')) {
    url.pathname = url.pathname.slice('/.well-known/oauth-authorization-server'.length);
  } else {
    return undefined;
  }
  return url.toString().replace(/\/$/, '');
}

/** The connection an OAuth scheme becomes for one operation, given the scopes it requires. */
export function connectionFor(
  scheme: string,
  def: OpenApiObject,
  name: string,
  requiredScopes: unknown,
): ConnectionResult {
  const scopes = Array.isArray(requiredScopes)
    ? requiredScopes.filter((s): s is string => typeof s === 'string' && s.length > 0)
    : [];
  if (def.type === 'openIdConnect') {
    const issuer = issuerFromDiscoveryUrl(String(def.openIdConnectUrl ?? ''));
    if (!issuer) {
      return {
        ok: false,
        reason: `OpenID Connect scheme "${scheme}" has no usable openIdConnectUrl (an absolute URL ending in ${DISCOVERY_SUFFIX})`,
      };
    }
    return { ok: true, connection: { name, scheme, issuer, scopes } };
  }
  const flows = isObject(def.flows) ? def.flows : {};
  const code = flows.authorizationCode;
  if (!isObject(code)) return { ok: 'not-applicable' };
  if (!absoluteHttp(code.authorizationUrl) || !absoluteHttp(code.tokenUrl)) {
    return {
      ok: false,
      reason: `OAuth scheme "${scheme}": the authorizationCode flow needs absolute authorizationUrl and tokenUrl`,
    };
  }
  return {
    ok: true,
    connection: {
      name,
      scheme,
      authorizationUrl: code.authorizationUrl,
      tokenUrl: code.tokenUrl,
      scopes,
    },
  };
}

/**
 * The ServerSpec connections the selected tools use: one per scheme, its scopes the union of what
 * those operations require (least privilege: unselected operations add nothing). `clientId` is
 * left empty on purpose: only the owner knows it, and the spec does not validate until it is set.
 */
export function proposedConnections(
  placements: readonly { connection?: ConnectionProposal }[],
  title: string,
): (Omit<Connection, 'scopes'> & { scopes: string[]; clientSecret: string })[] {
  const byName = new Map<string, ConnectionProposal & { scopeSet: Set<string> }>();
  for (const { connection: c } of placements) {
    if (!c) continue;
    const seen = byName.get(c.name) ?? { ...c, scopeSet: new Set<string>() };
    for (const s of c.scopes) seen.scopeSet.add(s);
    byName.set(c.name, seen);
  }
  const many = byName.size > 1;
  return [...byName.values()].map((c) => ({
    name: c.name,
    title: (many ? `${title} (${c.scheme})` : title).slice(0, 100),
    ...(c.issuer ? { issuer: c.issuer } : {}),
    ...(c.authorizationUrl ? { authorizationUrl: c.authorizationUrl } : {}),
    ...(c.tokenUrl ? { tokenUrl: c.tokenUrl } : {}),
    scopes: [...c.scopeSet],
    clientId: '',
    clientSecret: clientSecretNameFor(c.name),
  }));
}
