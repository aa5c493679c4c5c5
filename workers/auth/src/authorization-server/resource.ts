// What a token can be for (RFC 8707 §2): a hosted MCP server, or the control plane `{ISSUER}/v1`
// (control-plane.ts), which has no servers row and belongs to no org. Code that treats the two
// differently switches on `kind`; a new kind of resource must decide at each switch (they are
// exhaustive). Codes, grants, consents and the token's `server_id` claim name a resource by id.
import type { Server } from '../../../../lib/db/schema';
import { findServerById } from '../store/servers';
import { CONTROL_PLANE_NAME, CONTROL_PLANE_SERVER_ID } from './control-plane';

/**
 * `toolset`: the request named one of the server's toolsets (`{RUNNER_ORIGIN}/{slug}/{toolset}/mcp`,
 * issue 14), a resource of its own with its own `aud` and scopes. It is the same server for
 * everything keyed by id — access, codes, grants, revocation rules, the `server_id` claim —
 * and codes and grants keep the toolset in their `resource` (the canonical URL, the `aud`).
 */
export type Resource =
  | { kind: 'hosted'; server: Server; toolset?: { name: string; title?: string } }
  | { kind: 'control-plane' };

/** A resource a request named, with its canonical URI (the token's `aud`) and offered scopes. */
export type Target = Resource & { canonical: string; offeredScopes: string[] };

/** The id stored for it in codes, grants and consents, and signed as `server_id`. */
export function resourceId(resource: Resource): string {
  switch (resource.kind) {
    case 'hosted':
      return resource.server.id;
    case 'control-plane':
      return CONTROL_PLANE_SERVER_ID;
  }
}

/** The org whose audit log records its events; the control plane's go to none. */
export function resourceOrgId(resource: Resource): string | null {
  switch (resource.kind) {
    case 'hosted':
      return resource.server.orgId;
    case 'control-plane':
      return null;
  }
}

/** Its name on the consent page. */
export function resourceName(resource: Resource): string {
  switch (resource.kind) {
    case 'hosted':
      return resource.toolset
        ? `${resource.server.name} · ${resource.toolset.title ?? resource.toolset.name}`
        : resource.server.name;
    case 'control-plane':
      return CONTROL_PLANE_NAME;
  }
}

/** The resource a code, grant or token names by id; undefined once its server was deleted. */
export async function findResource(db: D1Database, id: string): Promise<Resource | undefined> {
  if (id === CONTROL_PLANE_SERVER_ID) return { kind: 'control-plane' };
  const server = await findServerById(db, id);
  return server ? { kind: 'hosted', server } : undefined;
}
