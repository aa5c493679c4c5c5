// /v1/servers/:id/alerts (docs/api.md "Alerts"): the server's alert webhook. Owners and admins set
// and remove it; members read whether one is set. PUT issues a new signing secret every time and
// answers it once (like an API key); it is stored sealed, because the runner signs with it.
import type { Context } from 'hono';
import { AlertPutSchema, webhookUrlProblem } from '../../../../../lib/api/alerts';
import { alertAad, sealSecret } from '../../../../../lib/crypto/envelope';
import { ApiError } from '../../../../../lib/http/api-error';
import { randomToken } from '../../../../../lib/ids';
import type { AppEnv } from '../../app-env';
import { principalOf } from '../../middleware/session';
import { describeRoute } from '../../openapi';
import { requestMeta } from '../../request-meta';
import { auditStatement } from '../../store/audit';
import {
  deleteServerAlertStatement,
  findServerAlert,
  upsertServerAlertStatement,
} from '../../store/server-alerts';
import { pathParam } from '../path-param';
import { readJson } from '../request-body';
import { ownAnyServer, requireWriter } from './access';

type Ctx = Context<AppEnv>;

describeRoute('GET', '/v1/servers/:id/alerts', { summary: "The server's alert webhook, or null" });
describeRoute('PUT', '/v1/servers/:id/alerts', {
  summary: 'Set the alert webhook; answers a new signing secret, shown once',
  body: AlertPutSchema,
});
describeRoute('DELETE', '/v1/servers/:id/alerts', { summary: 'Remove the alert webhook' });

const view = (a: { url: string; createdAt: number; updatedAt: number }) => ({
  url: a.url,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});

export async function get(c: Ctx): Promise<Response> {
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  const alert = await findServerAlert(c.env.DB, server.id);
  return c.json({ alert: alert ? view(alert) : null }, 200, { 'cache-control': 'no-store' });
}

export async function put(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  requireWriter(p);
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  const { url } = await readJson(c, AlertPutSchema);
  const problem = webhookUrlProblem(url, c.env.ALLOW_PRIVATE_EGRESS === '1');
  if (problem) {
    throw new ApiError(422, 'validation_failed', `Invalid field url: the webhook URL ${problem}.`, {
      details: { fields: [{ path: 'url', message: `The webhook URL ${problem}.` }] },
    });
  }
  const secret = `whsec_${randomToken(32)}`;
  const sealed = await sealSecret(c.env.MASTER_KEY, secret, alertAad(server.id));
  const now = Date.now();
  const before = await findServerAlert(c.env.DB, server.id);
  await c.env.DB.batch([
    upsertServerAlertStatement(c.env.DB, { serverId: server.id, url, sealed, by: p.user.id, now }),
    auditStatement(c.env.DB, {
      orgId: p.orgId,
      actor: p.user.id,
      action: 'server.alert.set',
      resource: server.id,
      ...requestMeta(c.req.raw),
      // The URL's host only: a webhook URL may carry a token in its path or query.
      metadata: { slug: server.slug, host: new URL(url).host },
      now,
    }),
  ]);
  const alert = { url, createdAt: before?.createdAt ?? now, updatedAt: now };
  return c.json({ alert, secret }, 200, { 'cache-control': 'no-store' });
}

export async function remove(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  requireWriter(p);
  const server = await ownAnyServer(c, pathParam(c, 'id'));
  const [deleted] = await c.env.DB.batch([
    deleteServerAlertStatement(c.env.DB, server.id),
    auditStatement(
      c.env.DB,
      {
        orgId: p.orgId,
        actor: p.user.id,
        action: 'server.alert.deleted',
        resource: server.id,
        ...requestMeta(c.req.raw),
        metadata: { slug: server.slug },
      },
      'changed',
    ),
  ]);
  if (!deleted?.meta.changes) throw new ApiError(404, 'not_found', 'No alert webhook is set.');
  return c.body(null, 204);
}
