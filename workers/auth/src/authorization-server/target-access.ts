// The access check every token-minting path makes (authorize and consent, code redemption,
// refresh): afresh, never cached, so losing access takes effect on the next request. A hosted
// server follows its visibility (store/server-access.ts); the control plane any signed-in user may
// use, as themselves (control-plane.ts).
import { mayUseServer, userMayUseServer } from '../store/server-access';
import type { Role } from '../store/orgs';
import type { Resource } from './resource';

export async function userMayUseResource(
  db: D1Database,
  resource: Resource,
  userId: string,
): Promise<boolean> {
  switch (resource.kind) {
    case 'hosted':
      return userMayUseServer(db, resource.server.id, userId);
    case 'control-plane':
      return true;
  }
}

/** The same rule, given the user's current role in the server's org (`null`: not a member). */
export function mayUseResource(resource: Resource, userId: string, role: Role | null): boolean {
  switch (resource.kind) {
    case 'hosted':
      return mayUseServer(resource.server, userId, role);
    case 'control-plane':
      return true;
  }
}
