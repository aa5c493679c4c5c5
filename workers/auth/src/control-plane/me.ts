// GET /v1/me: who is calling, in which org, and the CSRF token for the dashboard.
import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { principalOf } from '../middleware/session';
import { listMemberships } from '../store/orgs';

type Ctx = Context<AppEnv>;

export async function me(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  return c.json(
    {
      user: { id: p.user.id, email: p.user.email, name: p.user.name, createdAt: p.user.createdAt },
      orgId: p.orgId,
      role: p.role,
      orgs: await listMemberships(c.env.DB, p.user.id),
      authenticatedBy: p.kind,
      ...(p.kind === 'session'
        ? { csrfToken: p.session.csrfToken, sessionExpiresAt: p.session.expiresAt }
        : p.kind === 'api_key'
          ? { apiKeyId: p.apiKeyId }
          : { clientId: p.clientId }),
    },
    200,
    { 'cache-control': 'no-store' },
  );
}
