// GET /v1/clients, DELETE /v1/clients/:id: the org's machine clients — those registered with one
// of its API keys or from a session in it (routes/register.ts) — and their revocation by an owner,
// an admin or the member who registered the client. Revoking ends the client at once: it can no
// longer authenticate, its grants and refresh tokens are revoked, and a `{clientId}` rule stops
// its access tokens at the runner (docs/oauth.md "Machine clients").
import type { Context } from 'hono';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv } from '../app-env';
import { pathParam } from './path-param';
import { principalOf } from '../middleware/session';
import { oauthConfig, revocationTtlMs } from '../authorization-server/config';
import { describeRoute } from '../openapi';
import { auditStatement } from '../store/audit';
import { findOrgClient, listOrgClients, revokeClientsStatements } from '../store/machine-clients';
import { requestMeta } from '../request-meta';

type Ctx = Context<AppEnv>;

describeRoute('GET', '/v1/clients', {
  summary:
    "List the organization's machine clients (OAuth clients registered with its API keys or sessions)",
});
describeRoute('DELETE', '/v1/clients/:id', {
  summary: 'Revoke a machine client: it stops authenticating and its tokens stop at the runner',
});

export async function list(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  return c.json({ clients: await listOrgClients(c.env.DB, p.orgId) }, 200, {
    'cache-control': 'no-store',
  });
}

export async function revoke(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  const client = await findOrgClient(c.env.DB, p.orgId, pathParam(c, 'id'));
  if (!client) throw new ApiError(404, 'not_found', 'No client with this id in your organization.');
  if (p.role === 'member' && client.owner?.id !== p.user.id) {
    throw new ApiError(
      403,
      'forbidden',
      'Only owners, admins and the member who registered a client can revoke it.',
    );
  }
  const now = Date.now();
  await c.env.DB.batch([
    ...revokeClientsStatements(
      c.env.DB,
      { orgId: p.orgId, clientId: client.id },
      'client_revoked',
      now,
      revocationTtlMs(oauthConfig(c.env)),
    ),
    auditStatement(
      c.env.DB,
      {
        ...requestMeta(c.req.raw),
        now,
        orgId: p.orgId,
        actor: p.user.id,
        action: 'oauth.client.revoked',
        resource: client.id,
        metadata: {
          client_id: client.id,
          client_name: client.name,
          owner_user_id: client.owner?.id ?? null,
          api_key_id: client.apiKey?.id ?? null,
        },
      },
      'changed',
    ),
  ]);
  return c.body(null, 204);
}
