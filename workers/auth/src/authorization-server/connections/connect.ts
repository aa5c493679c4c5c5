// GET {ISSUER}/connections/{serverId}/{name}/connect: link (or relink) one connection outside an
// MCP client's authorization — the runner's "reconnect" link and the dashboard's button point
// here. Sign-in first (back here after), the same access rule as consent, then the provider; the
// callback ends on the "Connected — return to your client" page.
import type { Context } from 'hono';
import { ProviderError } from '../../../../../lib/connections/provider-fetch';
import type { AppEnv } from '../../app-env';
import { getSessionUser } from '../../middleware/session';
import { renderConnectionFailure } from '../../pages/connection-result';
import { findServerById } from '../../store/servers';
import { userMayUseServer } from '../../store/server-access';
import { oauthConfig } from '../config';
import { providerRedirect } from './provider-redirect';
import { findDeclaredConnection } from './server-connections';

export async function startConnection(c: Context<AppEnv>): Promise<Response> {
  const user = await getSessionUser(c);
  if (!user) {
    const url = new URL(c.req.url);
    return c.redirect(`/login?return_to=${encodeURIComponent(url.pathname)}`, 302);
  }
  const serverId = c.req.param('serverId') ?? '';
  const name = c.req.param('name') ?? '';
  const notFound = () =>
    renderConnectionFailure(c, {
      heading: 'No such connection',
      message: 'This server has no connection by that name, or your account cannot use it.',
    });
  const server = serverId.length <= 64 ? await findServerById(c.env.DB, serverId) : undefined;
  // The same answer for "no such server" and "not yours": no probing for server ids.
  if (!server || !(await userMayUseServer(c.env.DB, server.id, user.id))) return notFound();
  const connection = await findDeclaredConnection(c.env.DB, server.id, name);
  if (!connection) return notFound();
  try {
    const config = oauthConfig(c.env);
    return c.redirect(
      await providerRedirect(c.env.DB, c.env, config, {
        userId: user.id,
        serverId: server.id,
        connection,
        resume: null,
      }),
      302,
    );
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    console.warn('connection provider unavailable', { connection: name, reason: err.message });
    return renderConnectionFailure(c, {
      heading: `${connection.title} is unreachable`,
      message: `Moat could not reach the ${connection.title} sign-in. Try again later.`,
    });
  }
}
