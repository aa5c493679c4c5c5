// POST/GET /v1/api-keys, DELETE /v1/api-keys/:id (DESIGN §3 "API keys"). Keys are created from a
// signed-in session or with another key, never with an OAuth access token: a key outlives the
// grant, so a token could otherwise turn itself into access that survives revoking it.
import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv } from '../app-env';
import { pathParam } from './path-param';
import { principalOf } from '../middleware/session';
import { oauthConfig, revocationTtlMs } from '../authorization-server/config';
import { describeRoute } from '../openapi';
import { readJson } from './request-body';
import { createApiKey, listApiKeys, revokeApiKey } from '../store/api-keys';
import { requestMeta } from '../request-meta';

type Ctx = Context<AppEnv>;

const CreateSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();
describeRoute('POST', '/v1/api-keys', { summary: 'Create an API key', body: CreateSchema });

export async function create(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  if (p.kind === 'oauth') {
    throw new ApiError(
      403,
      'forbidden',
      'API keys are created from a signed-in session or with an API key, not with an OAuth access token.',
    );
  }
  const { name } = await readJson(c, CreateSchema);
  const created = await createApiKey(
    c.env.DB,
    { orgId: p.orgId, userId: p.user.id, name },
    requestMeta(c.req.raw),
  );
  return c.json(created, 201, { 'cache-control': 'no-store' });
}

export async function list(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  return c.json({ apiKeys: await listApiKeys(c.env.DB, p.orgId) });
}

export async function revoke(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  const id = pathParam(c, 'id');
  // Members may revoke their own keys; owners and admins any key of the org. The key's clients
  // go with it (docs/oauth.md "Machine clients").
  const revoked = await revokeApiKey(
    c.env.DB,
    {
      orgId: p.orgId,
      id,
      actor: p.user.id,
      ...(p.role === 'member' ? { userId: p.user.id } : {}),
      ttlMs: revocationTtlMs(oauthConfig(c.env)),
    },
    requestMeta(c.req.raw),
  );
  if (!revoked) throw new ApiError(404, 'not_found', 'No active API key with this id.');
  return c.body(null, 204);
}
