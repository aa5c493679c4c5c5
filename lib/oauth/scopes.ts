// Scopes (RFC 6749 §3.3): space-delimited, case-sensitive, each 1*NQSCHAR. The AS offers, per
// hosted server, the scopes its tools carry (serverScopes) plus `offline_access`.

export const OFFLINE_ACCESS = 'offline_access';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Distinct scope tokens in request order, or undefined when the string is malformed. */
export function parseScope(scope: string | undefined): string[] | undefined {
  if (scope === undefined) return [];
  const parts = scope.split(' ').filter((s) => s !== '');
  if (parts.length > 50 || !parts.every((p) => SCOPE_TOKEN.test(p) && p.length <= 128)) {
    return undefined;
  }
  return [...new Set(parts)];
}

/** The canonical form stored with consents, codes and grants: distinct, sorted, space-joined. */
export function formatScope(scopes: Iterable<string>): string {
  return [...new Set(scopes)].sort().join(' ');
}

export type ScopeDecision = { ok: true; scopes: string[] } | { ok: false; unknown: string[] };

/**
 * What a client gets: the requested scopes when the server offers every one of them, the server's
 * full set when none were requested (its default). Registration-time `scope` never caps a request:
 * a later authorization may ask for more (step-up) and the user decides.
 */
export function resolveScopes(requested: string[], offered: readonly string[]): ScopeDecision {
  if (requested.length === 0) return { ok: true, scopes: [...offered].sort() };
  const allowed = new Set([...offered, OFFLINE_ACCESS]);
  const unknown = requested.filter((s) => !allowed.has(s));
  return unknown.length > 0 ? { ok: false, unknown } : { ok: true, scopes: [...requested].sort() };
}

/** Plain words for the consent page. */
export function describeScope(scope: string): string {
  if (scope === 'mcp:read') return 'Read data through this server’s read-only tools';
  if (scope === 'mcp:write') return 'Make changes through this server’s tools';
  if (scope === 'mcp:admin') return 'Run destructive actions (delete or overwrite data)';
  if (scope === 'moat:api') return 'Manage your Moat servers';
  if (scope === OFFLINE_ACCESS) return 'Stay connected when you are not using the app';
  const tool = /^mcp:tools:(.+)$/.exec(scope);
  if (tool) return `Use the tool “${tool[1]}”`;
  return `Use the permission “${scope}”`;
}

export function isSubset(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(b);
  return a.every((s) => set.has(s));
}
