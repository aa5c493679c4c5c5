// POST/GET /v1/api-keys, DELETE /v1/api-keys/:id (DESIGN §3 "API keys"). Keys are created from a
// signed-in session or with another key, never with an OAuth access token: a key outlives the
// grant, so a token could otherwise turn itself into access that survives revoking it.
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv } from '../app-env';
import { principalOf, requireUser } from '../middleware/session';
import { oauthConfig, revocationTtlMs } from '../authorization-server/config';
import { describeRoute } from '../openapi';
import { readJson } from './request-body';
import { createApiKey, listApiKeys, revokeApiKey } from '../store/api-keys';
import { requestMeta } from './account';

const CreateSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();
describeRoute('POST', '/v1/api-keys', { summary: 'Create an API key', body: CreateSchema });

export const apiKeys = new Hono<AppEnv>()
  .use(requireUser)
  .post('/', async (c) => {
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
      requestMeta(c),
    );
    return c.json(created, 201, { 'cache-control': 'no-store' });
  })
  .get('/', async (c) => {
    const p = principalOf(c);
    return c.json({ apiKeys: await listApiKeys(c.env.DB, p.orgId) });
  })
  .delete('/:id', async (c) => {
    const p = principalOf(c);
    const id = c.req.param('id');
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
      requestMeta(c),
    );
    if (!revoked) throw new ApiError(404, 'not_found', 'No active API key with this id.');
    return c.body(null, 204);
  });
