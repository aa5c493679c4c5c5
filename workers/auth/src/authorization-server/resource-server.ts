// RFC 8707 resource → the Target it names (resource.ts): a hosted server or the control plane,
// with the scopes it offers.
import { OAuthError } from '../../../../lib/oauth/errors';
import { parseResource } from '../../../../lib/oauth/resource';
import { findToolset, narrowToToolset } from '../../../../lib/spec/narrow-to-toolset';
import { serverScopes, type ServerSpec } from '../../../../lib/spec/server-spec';
import { findServerBySlug, getPublishedSpec } from '../store/servers';
import type { OAuthConfig } from './config';
import { CONTROL_PLANE_SCOPE, canonicalControlPlane } from './control-plane';
import type { Target } from './resource';

const TTL_MS = 5_000;
const cache = new Map<string, { value: Target; at: number }>();

function scopesOf(spec: ServerSpec): string[] {
  return Array.isArray(spec.tools) ? serverScopes(spec) : [];
}

/**
 * What `resource` names. Missing, malformed, unknown or unpublished → `invalid_target`
 * (RFC 8707 §2: "invalid, missing, unknown, or malformed"). Cached in the isolate for 5 s.
 */
export async function resolveResource(
  db: D1Database,
  config: OAuthConfig,
  resource: string | undefined,
): Promise<Target> {
  if (resource === undefined || resource === '') {
    throw new OAuthError(
      'invalid_target',
      'The resource parameter is required: the MCP server URL this token is for.',
    );
  }
  const controlPlane = canonicalControlPlane(resource, config);
  if (controlPlane) {
    return {
      kind: 'control-plane',
      canonical: controlPlane,
      offeredScopes: [CONTROL_PLANE_SCOPE],
    };
  }
  const ref = parseResource(resource, config.runnerOrigin);
  if (!ref) throw new OAuthError('invalid_target', 'The resource is not a hosted MCP server URL.');
  const now = Date.now();
  const hit = cache.get(ref.canonical);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const server = await findServerBySlug(db, ref.slug);
  const published = server ? await getPublishedSpec(db, server.id) : undefined;
  // A toolset is a resource only while the published version has it (the runner serves it then).
  const spec =
    published && ref.toolset !== undefined
      ? narrowToToolset(published.spec, ref.toolset)
      : published?.spec;
  if (!server || !spec) {
    throw new OAuthError('invalid_target', 'No hosted MCP server has this resource URL.');
  }
  const toolset = ref.toolset !== undefined ? findToolset(published!.spec, ref.toolset) : undefined;
  const value: Target = {
    kind: 'hosted',
    server,
    ...(toolset
      ? { toolset: { name: toolset.name, ...(toolset.title ? { title: toolset.title } : {}) } }
      : {}),
    canonical: ref.canonical,
    // A toolset's token carries only its tools' scopes (narrow-to-toolset.ts).
    offeredScopes: scopesOf(spec),
  };
  if (cache.size > 1000) cache.clear();
  cache.set(ref.canonical, { value, at: now });
  return value;
}

/** The canonical form of a resource indicator naming a hosted server or the control plane. */
export function canonicalTarget(resource: string, config: OAuthConfig): string | undefined {
  return (
    canonicalControlPlane(resource, config) ??
    parseResource(resource, config.runnerOrigin)?.canonical
  );
}
