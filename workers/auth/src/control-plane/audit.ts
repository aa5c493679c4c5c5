// GET /v1/audit?action=&actor=&resource=&since=&until=&cursor=&limit= — the caller's org only,
// newest first, paged with an opaque cursor.
import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv } from '../app-env';
import { principalOf } from '../middleware/session';
import { readQuery } from './request-body';
import { listAudit } from '../store/audit';

type Ctx = Context<AppEnv>;

/** Epoch milliseconds or an ISO 8601 date/time. */
const Instant = z.string().transform((value, ctx) => {
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'Use epoch milliseconds or an ISO 8601 time.' });
    return z.NEVER;
  }
  return ms;
});

const AuditQuerySchema = z
  .object({
    action: z
      .string()
      .regex(
        /^[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?$/,
        'Use a dotted action such as user.login or user.*',
      )
      .optional(),
    actor: z.string().min(1).max(200).optional(),
    resource: z.string().min(1).max(500).optional(),
    since: Instant.optional(),
    until: Instant.optional(),
    cursor: z
      .string()
      .regex(/^evt_[0-9a-z]{9}[a-z2-7]+$/, 'Use the nextCursor of the previous page.')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export async function list(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  if (p.role === 'member') {
    throw new ApiError(403, 'forbidden', 'Only owners and admins can read the audit log.');
  }
  const q = readQuery(c, AuditQuerySchema);
  const page = await listAudit(c.env.DB, { ...q, orgId: p.orgId });
  return c.json(page, 200, { 'cache-control': 'no-store' });
}
