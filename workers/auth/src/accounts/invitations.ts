// Accepting an invite, shared by POST /v1/invites/accept and the /invite/:token page.
import type { User } from '../../../../lib/db/schema';
import { ApiError } from '../../../../lib/http/api-error';
import { acceptInvite, findInviteByToken, type InviteLookup } from '../store/invites';
import { findRole } from '../store/orgs';
import { isUniqueViolation } from '../store/constraint-violation';

const TOKEN_SHAPE = /^[a-z2-7]{52}$/;

/** The invite behind a link token, or a 404/410 ApiError. */
export async function pendingInvite(db: D1Database, token: string): Promise<InviteLookup> {
  const invite = TOKEN_SHAPE.test(token) ? await findInviteByToken(db, token) : undefined;
  if (!invite) throw new ApiError(404, 'invite_not_found', 'This invite link is not valid.');
  if (invite.state !== 'pending') {
    throw new ApiError(410, `invite_${invite.state}`, `This invite has been ${invite.state}.`);
  }
  return invite;
}

/**
 * Adds `user` to the invite's org. The invite is bound to the invited email: a forwarded link
 * does not let someone else in.
 */
export async function acceptInviteFor(
  db: D1Database,
  token: string,
  user: User,
  meta: { ip?: string | undefined; userAgent?: string | undefined },
): Promise<InviteLookup> {
  const invite = await pendingInvite(db, token);
  if (invite.email !== user.email) {
    throw new ApiError(
      403,
      'invite_email_mismatch',
      `This invite is for ${invite.email}; you are signed in as ${user.email}.`,
    );
  }
  if (await findRole(db, invite.orgId, user.id)) {
    throw new ApiError(409, 'already_member', `You are already a member of ${invite.orgName}.`);
  }
  let accepted: boolean;
  try {
    accepted = await acceptInvite(
      db,
      { inviteId: invite.id, orgId: invite.orgId, userId: user.id, role: invite.role },
      meta,
    );
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ApiError(409, 'already_member', `You are already a member of ${invite.orgName}.`);
    }
    throw err;
  }
  if (!accepted) throw new ApiError(410, 'invite_accepted', 'This invite is no longer pending.');
  return invite;
}
