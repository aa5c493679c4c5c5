// What the consent page says about a server's connections (pages/connection-lines.tsx).
import { providerEndpoints } from '../../../../../lib/connections/provider-metadata';
import type { Connection } from '../../../../../lib/spec/connections';
import type { ConnectionLine } from '../../pages/connection-lines';
import { findServerUserConnections } from '../../store/user-connections';
import type { Resource } from '../resource';
import { declaredConnections } from './server-connections';

/** The authorization endpoint's origin; the issuer's when discovery is unavailable right now. */
async function providerOrigin(connection: Connection, allowPrivate: boolean): Promise<string> {
  try {
    return new URL((await providerEndpoints(connection, { allowPrivate })).authorizationUrl).origin;
  } catch {
    return new URL(connection.authorizationUrl ?? connection.issuer!).origin;
  }
}

export async function connectionLines(
  db: D1Database,
  resource: Resource,
  userId: string,
  allowPrivate: boolean,
): Promise<ConnectionLine[]> {
  const declared = await declaredConnections(db, resource);
  if (declared.length === 0 || resource.kind !== 'hosted') return [];
  const rows = await findServerUserConnections(db, resource.server.id, userId);
  const active = new Set(rows.filter((r) => r.status === 'active').map((r) => r.name));
  return Promise.all(
    declared.map(async (c) => ({
      title: c.title,
      scopes: c.scopes,
      linked: active.has(c.name),
      origin: await providerOrigin(c, allowPrivate),
    })),
  );
}
