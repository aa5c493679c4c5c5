// GET /v1/servers/:id/clients (DESIGN §9 "Observability"): each OAuth client of the server with
// its connection health, and the server's per-user downstream connections with their status
// (docs/observability.md "Connection health"). Same audience as the grants it summarizes.
import type { Context } from 'hono';
import type { ServerClientList } from '../../../../../lib/api/server-clients';
import { clientHealthVerdict } from '../../../../../lib/observability/client-health';
import type { AppEnv } from '../../app-env';
import { firstPartyClient } from '../../authorization-server/first-party';
import { principalOf } from '../../middleware/session';
import { listClientHealth } from '../../store/client-health';
import { listUserConnectionStatus } from '../../store/user-connection-status';
import { pathParam } from '../path-param';
import { ownAnyServer, requireWriter } from './access';
import { cimdDomain } from './grants';

type Ctx = Context<AppEnv>;

const CONNECTION_REASON = {
  active: 'Connected.',
  reconnect_needed: 'The user must connect again.',
  revoked: 'The connection was revoked.',
} as const;

export async function list(c: Ctx): Promise<Response> {
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  requireWriter(principalOf(c));
  const now = Date.now();
  const [rows, connections] = await Promise.all([
    listClientHealth(c.env.DB, server.id, now),
    listUserConnectionStatus(c.env.DB, server.id),
  ]);
  const body: ServerClientList = {
    clients: rows.map((r) => {
      const kind = r.machine ? 'machine' : r.clientKind === 'cimd' ? 'cimd' : 'dcr';
      const firstParty = firstPartyClient(r.clientId);
      return {
        clientId: r.clientId,
        name: r.name ?? firstParty?.name ?? null,
        kind,
        domain:
          r.clientKind === 'cimd' ? cimdDomain(r.clientId) : firstParty ? 'moat' : 'unverified',
        ...clientHealthVerdict({ ...r, kind }, now),
        firstTokenAt: r.firstTokenAt,
        lastTokenAt: r.lastTokenAt,
        lastRefreshAt: r.lastRefreshAt,
        refreshCount: r.refreshCount,
        authorizationCount: r.authorizationCount,
        lastUsedAt: r.lastUsedAt,
        last401At: r.last401At,
        last401Reason: r.last401Reason,
        last403At: r.last403At,
        last403Scope: r.last403Scope,
        liveGrants: r.liveGrants,
        users: r.users,
      };
    }),
    connections: connections.map((u) => ({
      id: u.id,
      name: u.name,
      user: { id: u.userId, email: u.userEmail },
      status: u.status,
      reason: u.statusReason ?? CONNECTION_REASON[u.status],
      lastUsedAt: u.lastUsedAt,
      lastRefreshedAt: u.lastRefreshedAt,
      accessExpiresAt: u.accessExpiresAt,
      createdAt: u.createdAt,
    })),
  };
  return c.json(body, 200, { 'cache-control': 'no-store' });
}
