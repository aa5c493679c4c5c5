// GET /v1/servers/:id/connections (owners and admins): each connection the published spec
// declares, the redirect URI to register at its provider, how many users linked it and how many
// must reconnect. Never a token, never who (docs/connections.md).
import type { Context } from 'hono';
import type { ServerConnection } from '../../../../../lib/api/connections';
import type { AppEnv } from '../../app-env';
import { callbackUrl } from '../../authorization-server/connections/provider-redirect';
import { oauthConfig } from '../../authorization-server/config';
import { principalOf } from '../../middleware/session';
import { getPublishedSpec } from '../../store/servers';
import { countServerConnections } from '../../store/user-connections';
import { pathParam } from '../path-param';
import { ownAnyServer, requireWriter } from './access';

export async function list(c: Context<AppEnv>): Promise<Response> {
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  requireWriter(principalOf(c));
  const spec = (await getPublishedSpec(c.env.DB, server.id))?.spec;
  const counts = await countServerConnections(c.env.DB, server.id);
  const redirectUri = callbackUrl(oauthConfig(c.env));
  const connections: ServerConnection[] = (spec?.connections ?? []).map((x) => ({
    name: x.name,
    title: x.title,
    redirectUri,
    linkedUsers: counts.get(x.name)?.linkedUsers ?? 0,
    needReconnect: counts.get(x.name)?.needReconnect ?? 0,
  }));
  return c.json({ connections }, 200, { 'cache-control': 'no-store' });
}
