// Resource indicators (RFC 8707). Every hosted server has one canonical resource URI,
// `{RUNNER_ORIGIN}/{slug}/mcp`; it is the token's `aud`. Clients send variants of it (a trailing
// slash, no `/mcp`), which map to the one URL. Anything else is `invalid_target` (RFC 8707 §2).
import { SLUG_PATTERN } from '../spec/server-spec';

export type ResourceRef = { slug: string; canonical: string };

export function canonicalResource(runnerOrigin: string, slug: string): string {
  return `${new URL(runnerOrigin).origin}/${slug}/mcp`;
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
 * fragments ("MUST NOT").
 */
export function parseResource(resource: string, runnerOrigin: string): ResourceRef | undefined {
  const path = resourcePathOn(resource, runnerOrigin);
  const m = path === undefined ? null : /^\/([^/]+)(?:\/mcp)?\/?$/.exec(path);
  const slug = m?.[1];
  if (!slug || !SLUG_PATTERN.test(slug)) return undefined;
  return { slug, canonical: canonicalResource(runnerOrigin, slug) };
}
