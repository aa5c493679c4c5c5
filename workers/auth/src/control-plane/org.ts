// GET /v1/me/org and the org's members and invites (owner / admin / member roles).
import type { Context } from 'hono';
import { z } from 'zod';
import { MASTER_KEY_VERSION } from '../../../../lib/crypto/envelope';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv } from '../app-env';
import { pathParam } from './path-param';
import { EmailSchema } from '../accounts/credentials';
import { principalOf } from '../middleware/session';
import { oauthConfig, revocationTtlMs } from '../authorization-server/config';
import { readJson } from './request-body';
import { listApiKeys } from '../store/api-keys';
import { createInvite, listPendingInvites, revokeInvite } from '../store/invites';
import { changeRole, listMembers, removeMember } from '../store/members';
import { findOrg, findRole, orgUsage, type Role, secretsByKeyVersion } from '../store/orgs';
import { normalizeEmail } from '../store/users';
import { requestMeta } from '../request-meta';

type Ctx = Context<AppEnv>;

const InviteSchema = z
  .object({ email: EmailSchema, role: z.enum(['admin', 'member']).default('member') })
  .strict();
const RoleSchema = z.object({ role: z.enum(['owner', 'admin', 'member']) }).strict();

const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
const lastOwner = () =>
  new ApiError(409, 'last_owner', 'The organization needs at least one owner: add another first.');

/** Owners may do anything to anyone; admins only to members and admins, never making owners. */
function mayManage(actor: Role, target: Role, newRole?: Role): boolean {
  if (actor === 'owner') return true;
  if (actor !== 'admin') return false;
  return target !== 'owner' && newRole !== 'owner';
}

export async function get(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  const db = c.env.DB;
  const [found, usage, members, invites, apiKeys, versions] = await Promise.all([
    findOrg(db, p.orgId),
    orgUsage(db, p.orgId),
    listMembers(db, p.orgId),
    listPendingInvites(db, p.orgId),
    listApiKeys(db, p.orgId),
    secretsByKeyVersion(db, p.orgId),
  ]);
  if (!found) throw new ApiError(404, 'not_found', 'Organization not found.');
  return c.json({
    org: found,
    role: p.role,
    plan: found.plan,
    usage,
    members,
    invites,
    apiKeys,
    encryption: {
      algorithm: 'AES-256-GCM envelope (per-secret data key wrapped by MASTER_KEY)',
      currentKeyVersion: MASTER_KEY_VERSION,
      secrets: usage.secrets,
      keyVersions: versions,
      secretsOnOldKeys: versions
        .filter((v) => v.version < MASTER_KEY_VERSION)
        .reduce((n, v) => n + v.secrets, 0),
    },
  });
}

export async function invite(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  if (p.role === 'member') throw forbidden('Only owners and admins can invite members.');
  const input = await readJson(c, InviteSchema);
  const email = normalizeEmail(input.email);
  const existing = (await listMembers(c.env.DB, p.orgId)).find((m) => m.email === email);
  if (existing) throw new ApiError(409, 'already_member', `${email} is already a member.`);
  const invite = await createInvite(
    c.env.DB,
    { orgId: p.orgId, email, role: input.role },
    { actor: p.user.id, ...requestMeta(c.req.raw) },
  );
  const { token, ...view } = invite;
  // No mail is sent: the link is returned once for the inviter to pass on.
  return c.json({ ...view, url: `${c.env.ISSUER}/invite/${token}` }, 201, {
    'cache-control': 'no-store',
  });
}

export async function cancelInvite(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  if (p.role === 'member') throw forbidden('Only owners and admins can revoke invites.');
  const revoked = await revokeInvite(
    c.env.DB,
    { orgId: p.orgId, id: pathParam(c, 'id') },
    { actor: p.user.id, ...requestMeta(c.req.raw) },
  );
  if (!revoked) {
    throw new ApiError(404, 'not_found', 'No pending invite with this id.');
  }
  return c.body(null, 204);
}

export async function setRole(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  const userId = pathParam(c, 'userId');
  const { role } = await readJson(c, RoleSchema);
  const current = await findRole(c.env.DB, p.orgId, userId);
  if (!current) throw new ApiError(404, 'not_found', 'No such member.');
  if (!mayManage(p.role, current, role)) {
    throw forbidden('Your role cannot change this member to that role.');
  }
  if (current === role) return c.json({ userId, role });
  const result = await changeRole(
    c.env.DB,
    { orgId: p.orgId, userId, from: current, to: role },
    { actor: p.user.id, ...requestMeta(c.req.raw) },
    revocationTtlMs(oauthConfig(c.env)),
  );
  if (result === 'last_owner') throw lastOwner();
  if (result === 'not_found') throw new ApiError(409, 'conflict', 'The member changed; retry.');
  return c.json({ userId, role });
}

export async function remove(c: Ctx): Promise<Response> {
  const p = principalOf(c);
  const userId = pathParam(c, 'userId');
  const current = await findRole(c.env.DB, p.orgId, userId);
  if (!current) throw new ApiError(404, 'not_found', 'No such member.');
  if (userId !== p.user.id && !mayManage(p.role, current)) {
    throw forbidden('Only owners and admins can remove members, and only owners remove owners.');
  }
  const result = await removeMember(
    c.env.DB,
    { orgId: p.orgId, userId, role: current },
    { actor: p.user.id, ...requestMeta(c.req.raw) },
    revocationTtlMs(oauthConfig(c.env)),
  );
  if (result === 'last_owner') throw lastOwner();
  if (result === 'not_found') throw new ApiError(404, 'not_found', 'No such member.');
  return c.body(null, 204);
}
