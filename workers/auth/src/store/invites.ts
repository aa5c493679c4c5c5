// invites: a link token (SHA-256 stored) that lets the invited email join an org with a role.
import { and, desc, eq, getTableColumns, gt, isNull } from 'drizzle-orm';
import { invites, orgs } from '../../../../lib/db/schema';
import { sha256Hex } from '../../../../lib/crypto/hash';
import { newId, randomToken } from '../../../../lib/ids';
import { auditStatement } from './audit';
import { orm } from './orm';
import type { Role } from './orgs';

export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

export type InviteView = {
  id: string;
  email: string;
  role: 'admin' | 'member';
  invitedBy: string;
  createdAt: number;
  expiresAt: number;
};

type AuditMeta = { actor: string; ip?: string | undefined; userAgent?: string | undefined };

/** Creates an invite (replacing a pending one for the same email) and returns its token once. */
export async function createInvite(
  db: D1Database,
  input: { orgId: string; email: string; role: 'admin' | 'member' },
  meta: AuditMeta,
  now = Date.now(),
): Promise<InviteView & { token: string }> {
  const token = randomToken(32);
  const invite: InviteView = {
    id: newId('inv'),
    email: input.email,
    role: input.role,
    invitedBy: meta.actor,
    createdAt: now,
    expiresAt: now + INVITE_TTL_MS,
  };
  await db.batch([
    db
      .prepare(
        `UPDATE invites SET revoked_at = ? WHERE org_id = ? AND email = ?
         AND accepted_at IS NULL AND revoked_at IS NULL`,
      )
      .bind(now, input.orgId, input.email),
    db
      .prepare(
        `INSERT INTO invites (id, org_id, email, role, token_hash, invited_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        invite.id,
        input.orgId,
        input.email,
        input.role,
        await sha256Hex(token),
        meta.actor,
        now,
        invite.expiresAt,
      ),
    auditStatement(db, {
      ...meta,
      now,
      orgId: input.orgId,
      action: 'member.invited',
      resource: invite.id,
      metadata: { email: input.email, role: input.role },
    }),
  ]);
  return { ...invite, token };
}

export async function listPendingInvites(
  db: D1Database,
  orgId: string,
  now = Date.now(),
): Promise<InviteView[]> {
  return orm(db)
    .select({
      id: invites.id,
      email: invites.email,
      role: invites.role,
      invitedBy: invites.invitedBy,
      createdAt: invites.createdAt,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .where(
      and(
        eq(invites.orgId, orgId),
        isNull(invites.acceptedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, now),
      ),
    )
    .orderBy(desc(invites.createdAt))
    .all();
}

export async function revokeInvite(
  db: D1Database,
  input: { orgId: string; id: string },
  meta: AuditMeta,
  now = Date.now(),
): Promise<boolean> {
  const [res] = await db.batch([
    db
      .prepare(
        `UPDATE invites SET revoked_at = ? WHERE org_id = ? AND id = ?
         AND accepted_at IS NULL AND revoked_at IS NULL`,
      )
      .bind(now, input.orgId, input.id),
    auditStatement(
      db,
      {
        ...meta,
        now,
        orgId: input.orgId,
        action: 'member.invite_revoked',
        resource: input.id,
      },
      'changed',
    ),
  ]);
  return (res?.meta.changes ?? 0) > 0;
}

export type InviteLookup = InviteView & {
  orgId: string;
  orgName: string;
  state: 'pending' | 'accepted' | 'revoked' | 'expired';
};

export async function findInviteByToken(
  db: D1Database,
  token: string,
  now = Date.now(),
): Promise<InviteLookup | undefined> {
  const r = await orm(db)
    .select({ ...getTableColumns(invites), orgName: orgs.name })
    .from(invites)
    .innerJoin(orgs, eq(orgs.id, invites.orgId))
    .where(eq(invites.tokenHash, await sha256Hex(token)))
    .get();
  if (!r) return undefined;
  const state = r.acceptedAt
    ? 'accepted'
    : r.revokedAt
      ? 'revoked'
      : r.expiresAt <= now
        ? 'expired'
        : 'pending';
  return {
    id: r.id,
    orgId: r.orgId,
    orgName: r.orgName,
    email: r.email,
    role: r.role,
    invitedBy: r.invitedBy,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    state,
  };
}

/**
 * Accepts a pending invite for `userId`: marks it accepted, adds the membership and audits
 * `member.joined`, all or nothing. False when the invite was no longer pending.
 */
export async function acceptInvite(
  db: D1Database,
  input: { inviteId: string; orgId: string; userId: string; role: Role },
  meta: { ip?: string | undefined; userAgent?: string | undefined },
  now = Date.now(),
): Promise<boolean> {
  const [res] = await db.batch([
    db
      .prepare(
        `UPDATE invites SET accepted_at = ?2 WHERE id = ?1 AND accepted_at IS NULL
         AND revoked_at IS NULL AND expires_at > ?2`,
      )
      .bind(input.inviteId, now),
    db
      .prepare(
        `INSERT INTO members (org_id, user_id, role, created_at)
         SELECT ?1, ?2, ?3, ?4 WHERE changes() > 0`,
      )
      .bind(input.orgId, input.userId, input.role, now),
    auditStatement(
      db,
      {
        ...meta,
        now,
        orgId: input.orgId,
        actor: input.userId,
        action: 'member.joined',
        resource: input.userId,
        metadata: { invite: input.inviteId, role: input.role },
      },
      'changed',
    ),
  ]);
  return (res?.meta.changes ?? 0) > 0;
}
