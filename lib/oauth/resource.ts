// Resource indicators (RFC 8707). Every hosted server has one canonical resource URI,
// `{RUNNER_ORIGIN}/{slug}/mcp`; it is the token's `aud`. Clients send variants of it (a trailing
// slash, no `/mcp`), which map to the one URL. Anything else is `invalid_target` (RFC 8707 §2).
// A toolset of a server (issue 14) is a resource of its own, `{RUNNER_ORIGIN}/{slug}/{toolset}/mcp`,
// with the same variants.
import { SLUG_PATTERN } from '../spec/server-spec';
import { TOOLSET_NAME_PATTERN } from '../spec/toolsets';

/** `toolset` is set when the indicator names one of the server's toolsets. */
export type ResourceRef = { slug: string; canonical: string; toolset?: string };

export function canonicalResource(runnerOrigin: string, slug: string, toolset?: string): string {
  const path = toolset === undefined ? slug : `${slug}/${toolset}`;
  return `${new URL(runnerOrigin).origin}/${path}/mcp`;
}

/**
 * The path of a resource indicator that is an absolute URL on `origin` (scheme and host in any
 * case, default ports elided), else undefined: no query (RFC 8707 §2: "SHOULD NOT include a query
 * component"), no fragment ("MUST NOT"), no userinfo, and no more than 2000 characters.
 */
export function resourcePathOn(resource: string, origin: string): string | undefined {
  if (resource.length > 2000 || resource.includes('#')) return undefined;
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return undefined;
  }
  if (url.search !== '' || url.username !== '' || url.password !== '') return undefined;
  if (url.origin !== new URL(origin).origin) return undefined;
  return url.pathname;
}

/**
 * The server a resource indicator names, or undefined. Accepts `{origin}/{slug}`, `{origin}/{slug}/`,
 * `{origin}/{slug}/mcp` and `{origin}/{slug}/mcp/`, with the scheme and host in any case and
 * default ports elided. The bare runner origin names no server (every server shares it) and is
 * refused; so are query strings (RFC 8707 §2: "SHOULD NOT include a query component") and
 * fragments ("MUST NOT"). A toolset's `{origin}/{slug}/{toolset}[/mcp][/]` names the toolset
 * (a toolset is never called `mcp`, so `{slug}/mcp` stays the server). Whether the server has
 * that toolset is for the caller to check against its published spec.
 */
export function parseResource(resource: string, runnerOrigin: string): ResourceRef | undefined {
  const path = resourcePathOn(resource, runnerOrigin);
  const m =
    path === undefined ? null : /^\/([^/]+)(?:\/(?!mcp(?:\/|$))([^/]+))?(?:\/mcp)?\/?$/.exec(path);
  const slug = m?.[1];
  if (!slug || !SLUG_PATTERN.test(slug)) return undefined;
  const toolset = m[2];
  if (toolset === undefined) return { slug, canonical: canonicalResource(runnerOrigin, slug) };
  if (!TOOLSET_NAME_PATTERN.test(toolset)) return undefined;
  return { slug, toolset, canonical: canonicalResource(runnerOrigin, slug, toolset) };
}

/**
 * The toolset a canonical resource URI (one `canonicalResource` made: a code's or grant's
 * `resource`, a token's `aud`) names, or undefined for a whole server or anything else.
 */
export function toolsetOfResource(canonical: string): string | undefined {
  let path: string;
  try {
    path = new URL(canonical).pathname;
  } catch {
    return undefined;
  }
  const m = /^\/[^/]+\/([^/]+)\/mcp$/.exec(path);
  return m && m[1] !== 'mcp' && TOOLSET_NAME_PATTERN.test(m[1]!) ? m[1] : undefined;
}
