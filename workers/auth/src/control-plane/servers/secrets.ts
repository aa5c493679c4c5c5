// /v1/servers/:id/secrets: set, list (name, set, updated at) and delete the secrets a server's
// spec declares. Values go in once and are never returned or logged.
import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../../../../lib/http/api-error';
import type { AppEnv } from '../../app-env';
import { pathParam } from '../path-param';
import { principalOf } from '../../middleware/session';
import { readJson } from '../request-body';
import { auditStatement } from '../../store/audit';
import { deleteSecretStatement, listSecretStatus, putSecretStatement } from '../../store/secrets';
import { ownServer, requireWriter } from './access';
import { secretList } from './views';
import { requestMeta } from '../../request-meta';

type Ctx = Context<AppEnv>;

const ValueSchema = z.object({ value: z.string().min(1).max(8192) }).strict();

export async function list(c: Ctx): Promise<Response> {
  const { server, spec } = await ownServer(c, pathParam(c, 'id'));
  return c.json({ secrets: secretList(spec, await listSecretStatus(c.env.DB, server.id)) });
}

export async function put(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  requireWriter(p);
  const { server, spec } = await ownServer(c, pathParam(c, 'id'));
  const name = pathParam(c, 'name');
  if (!spec.secrets.some((s) => s.name === name)) {
    throw new ApiError(
      404,
      'unknown_secret',
      `The server's spec does not declare a secret named ${name}.`,
    );
  }
  const { value } = await readJson(c, ValueSchema);
  const now = Date.now();
  await c.env.DB.batch([
    await putSecretStatement(c.env.DB, c.env.MASTER_KEY, {
      serverId: server.id,
      name,
      value,
      updatedBy: p.user.id,
      now,
    }),
    auditStatement(c.env.DB, {
      orgId: p.orgId,
      actor: p.user.id,
      action: 'server.secret.set',
      resource: server.id,
      ...requestMeta(c.req.raw),
      metadata: { slug: server.slug, name },
      now,
    }),
  ]);
  return c.json({ name, set: true, updatedAt: now }, 200, { 'cache-control': 'no-store' });
}

export async function remove(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  requireWriter(p);
  const { server } = await ownServer(c, pathParam(c, 'id'));
  const name = pathParam(c, 'name');
  const [deleted] = await c.env.DB.batch([
    deleteSecretStatement(c.env.DB, server.id, name),
    auditStatement(c.env.DB, {
      orgId: p.orgId,
      actor: p.user.id,
      action: 'server.secret.deleted',
      resource: server.id,
      ...requestMeta(c.req.raw),
      metadata: { slug: server.slug, name },
    }),
  ]);
  if (!deleted?.meta.changes) throw new ApiError(404, 'not_found', `No secret ${name} is set.`);
  return c.body(null, 204);
}
