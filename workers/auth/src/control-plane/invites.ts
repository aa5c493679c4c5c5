// POST /v1/invites/accept {token}: the signed-in user joins the org that invited their email.
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env';
import { acceptInviteFor } from '../accounts/invitations';
import { principalOf } from '../middleware/session';
import { readJson } from './request-body';
import { requestMeta } from '../request-meta';

type Ctx = Context<AppEnv>;

const AcceptSchema = z.object({ token: z.string().min(1).max(200) }).strict();

export async function accept(c: Ctx): Promise<Response> {
  const { token } = await readJson(c, AcceptSchema);
  const p = principalOf(c);
  const invite = await acceptInviteFor(c.env.DB, token, p.user, requestMeta(c.req.raw));
  return c.json({ orgId: invite.orgId, orgName: invite.orgName, role: invite.role });
}
