// Which of a server's declared connections (ServerSpec `connections`, lib/spec/connections.ts) a
// user still has to link before an MCP client may get a code for it (docs/connections.md).
import type { Connection } from '../../../../../lib/spec/connections';
import { getPublishedSpec } from '../../store/servers';
import { findServerUserConnections } from '../../store/user-connections';
import type { Resource } from '../resource';

/** The connections the server's published spec declares; none for the control plane. */
export async function declaredConnections(
  db: D1Database,
  resource: Resource,
): Promise<Connection[]> {
  switch (resource.kind) {
    case 'hosted':
      return (await getPublishedSpec(db, resource.server.id))?.spec.connections ?? [];
    case 'control-plane':
      return [];
  }
}

export async function findDeclaredConnection(
  db: D1Database,
  serverId: string,
  name: string,
): Promise<Connection | undefined> {
  const spec = (await getPublishedSpec(db, serverId))?.spec;
  return spec?.connections?.find((c) => c.name === name);
}

/** Declared connections the user has no active link for (never linked, or reconnect needed). */
export async function unlinkedConnections(
  db: D1Database,
  resource: Resource,
  userId: string,
): Promise<Connection[]> {
  const declared = await declaredConnections(db, resource);
  if (declared.length === 0 || resource.kind !== 'hosted') return [];
  const rows = await findServerUserConnections(db, resource.server.id, userId);
  const active = new Set(rows.filter((r) => r.status === 'active').map((r) => r.name));
  return declared.filter((c) => !active.has(c.name));
}
