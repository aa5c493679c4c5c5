// Signing key rotation for the platform operator (docs/oauth.md "Keys"): the operator is the
// first account created on the platform, the same rule `npm run keys:rotate` documents.
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv } from '../app-env';
import { principalOf } from '../middleware/session';
import { forgetSigningKey, retainMs } from '../authorization-server/access-token';
import { oauthConfig } from '../authorization-server/config';
import { auditStatement } from '../store/audit';
import { readJwks, rotateSigningKey } from '../store/signing-keys';
import { isOperator } from '../store/operator';
import { requestMeta } from '../request-meta';

type Ctx = Context<AppEnv>;

const RotateSchema = z.object({
  delaySeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86400)
    .optional(),
});

/** Runs after requireUser: 403 unless the caller is the platform operator. */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!(await isOperator(c.env.DB, principalOf(c).user.id))) {
    throw new ApiError(403, 'forbidden', 'Only the platform operator can manage signing keys.');
  }
  await next();
};

export async function get(c: Ctx): Promise<Response> {
  const jwks = await readJwks(c.env.KV);
  const active = await c.env.KV.get('signing-key:active');
  const next = await c.env.KV.get('signing-key:next');
  return c.json({
    active,
    next,
    published: jwks.keys.map((k) => k.kid),
  });
}

export async function rotate(c: Ctx): Promise<Response> {
  const raw = await c.req.json().catch(() => ({}));
  const parsed = RotateSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new ApiError(400, 'invalid_request', 'delaySeconds must be an integer of seconds.');
  }
  const config = oauthConfig(c.env);
  const delaySeconds = parsed.data.delaySeconds ?? config.signingKeyActivationDelaySeconds;
  const result = await rotateSigningKey(c.env.KV, c.env.DB, {
    masterKey: c.env.MASTER_KEY,
    retainMs: retainMs(config),
    delayMs: delaySeconds * 1000,
  });
  forgetSigningKey();
  const { user, orgId } = principalOf(c);
  await auditStatement(c.env.DB, {
    orgId,
    actor: user.id,
    action: 'oauth.signing_key.rotated',
    resource: result.kid,
    ...requestMeta(c.req.raw),
    metadata: { kid: result.kid, activates_at: result.activatesAt, pending: result.pending },
  }).run();
  return c.json(
    { kid: result.kid, activatesAt: result.activatesAt, alreadyPending: result.pending },
    result.pending ? 200 : 201,
  );
}
