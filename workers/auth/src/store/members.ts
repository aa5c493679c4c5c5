// members of an org: list, role changes and removal. The "last owner" rule is enforced inside the
// UPDATE/DELETE itself, so two concurrent demotions cannot leave an org without an owner. A role
// change or removal ends, in the same batch, the access it took away (store/access-loss.ts).
import { asc, eq } from 'drizzle-orm';
import { members, users } from '../../../../lib/db/schema';
import { memberRemovedStatements, roleChangedStatements } from './access-loss';
import { auditStatement } from './audit';
import { revokeClientsStatements } from './machine-clients';
import { orm } from './orm';
import type { Role } from './orgs';

export type MemberView = {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  joinedAt: number;
};

export async function listMembers(db: D1Database, orgId: string): Promise<MemberView[]> {
  return orm(db)
    .select({
      userId: members.userId,
      email: users.email,
      name: users.name,
      role: members.role,
      joinedAt: members.createdAt,
    })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.orgId, orgId))
    .orderBy(asc(members.createdAt), asc(users.email))
    .all();
}

type AuditMeta = { actor: string; ip?: string | undefined; userAgent?: string | undefined };

const OTHER_OWNER_EXISTS = `EXISTS (SELECT 1 FROM members o WHERE o.org_id = ?1 AND o.role = 'owner'
  AND o.user_id != ?2)`;

/**
 * Sets a member's role; 'last_owner' when it would leave the org without an owner. `ttlMs`: the
 * life of the revocation rules (revocationTtlMs).
 */
export async function changeRole(
  db: D1Database,
  input: { orgId: string; userId: string; from: Role; to: Role },
  meta: AuditMeta,
  ttlMs: number,
  now = Date.now(),
): Promise<'ok' | 'last_owner' | 'not_found'> {
  const [res] = await db.batch([
    db
      .prepare(
        `UPDATE members SET role = ?3 WHERE org_id = ?1 AND user_id = ?2 AND role = ?4
         AND (?4 != 'owner' OR ?3 = 'owner' OR ${OTHER_OWNER_EXISTS})`,
      )
      .bind(input.orgId, input.userId, input.to, input.from),
    auditStatement(
      db,
      {
        ...meta,
        now,
        orgId: input.orgId,
        action: 'member.role_changed',
        resource: input.userId,
        metadata: { from: input.from, to: input.to },
      },
      'changed',
    ),
    ...roleChangedStatements(db, input, now, ttlMs),
  ]);
  if ((res?.meta.changes ?? 0) > 0) return 'ok';
  return input.from === 'owner' ? 'last_owner' : 'not_found';
}

/**
 * Removes a member (or lets one leave), ending in the same batch the access they lose and the
 * machine clients they registered for the org; 'last_owner' when they are the org's only owner.
 */
export async function removeMember(
  db: D1Database,
  input: { orgId: string; userId: string; role: Role },
  meta: AuditMeta,
  ttlMs: number,
  now = Date.now(),
): Promise<'ok' | 'last_owner' | 'not_found'> {
  const [res] = await db.batch([
    db
      .prepare(
        `DELETE FROM members WHERE org_id = ?1 AND user_id = ?2
         AND (role != 'owner' OR ${OTHER_OWNER_EXISTS})`,
      )
      .bind(input.orgId, input.userId),
    auditStatement(
      db,
      {
        ...meta,
        now,
        orgId: input.orgId,
        action: 'member.removed',
        resource: input.userId,
        metadata: { role: input.role, left: meta.actor === input.userId },
      },
      'changed',
    ),
    // Keys a removed member created for this org stop working with the membership (the lookup
    // joins members); revoke them too so the list shows the truth.
    db
      .prepare(
        `UPDATE api_keys SET revoked_at = ?3 WHERE org_id = ?1 AND user_id = ?2 AND revoked_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM members WHERE org_id = ?1 AND user_id = ?2)`,
      )
      .bind(input.orgId, input.userId, now),
    ...memberRemovedStatements(db, input, now, ttlMs),
    // The clients they registered for this org go with them (the selector is guarded by the
    // membership being gone), each with one `{clientId}` rule.
    ...revokeClientsStatements(
      db,
      { orgId: input.orgId, ownerUserId: input.userId },
      'member_removed',
      now,
      ttlMs,
    ),
  ]);
  if ((res?.meta.changes ?? 0) > 0) return 'ok';
  return input.role === 'owner' ? 'last_owner' : 'not_found';
}
