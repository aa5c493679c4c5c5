// Orgs with more than one member, through the real routes, and the revocation rules the AS wrote:
//   const { alice, bob } = await team('admin');            // Bob joins Alice's org as admin
//   await removeMember(alice, bob);                         // DELETE /v1/me/org/members/:id
//   expect(await rulesSince(mark)).toEqual([...]);          // rows of token_revocations
import { env } from 'cloudflare:test';
import { api, signUp, type ApiOptions, type SignedUp } from './accounts';
import { hostServer, type HostedServer } from './oauth-client';

export type Role = 'owner' | 'admin' | 'member';

/** `as` acting in `orgId` (a user's default org is their personal one). */
export const inOrg = (as: SignedUp, orgId: string): ApiOptions => ({
  as,
  headers: { 'x-moat-org': orgId },
});

/** Alice owns an org; Bob joins it with `role` through a real invite (and a role PATCH for owner). */
export async function team(role: Role = 'member'): Promise<{ alice: SignedUp; bob: SignedUp }> {
  const [alice, bob] = [await signUp(), await signUp()];
  const invited = await api('/v1/me/org/invites', {
    as: alice,
    body: { email: bob.email, role: role === 'owner' ? 'admin' : role },
  });
  const { url } = await invited.json<{ url: string }>();
  const accepted = await api('/v1/invites/accept', {
    as: bob,
    body: { token: url.split('/invite/')[1] },
  });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status}`);
  if (role === 'owner') await setRole(alice, bob, 'owner');
  return { alice, bob };
}

export async function setRole(actor: SignedUp, member: SignedUp, role: Role): Promise<Response> {
  const res = await api(`/v1/me/org/members/${member.user.id}`, {
    as: actor,
    method: 'PATCH',
    body: { role },
  });
  if (res.status !== 200) throw new Error(`role change failed: ${res.status}`);
  return res;
}

/** `actor` removes `member` from the actor's org (or `member` leaves it, when they are the same). */
export function removeMember(actor: SignedUp, member: SignedUp, orgId = actor.orgId) {
  return api(`/v1/me/org/members/${member.user.id}`, { ...inOrg(actor, orgId), method: 'DELETE' });
}

/** A server in `owner`'s org created by `creator` (a member of it). */
export function hostServerBy(
  creator: SignedUp,
  owner: SignedUp,
  opts: Parameters<typeof hostServer>[1] = {},
): Promise<HostedServer> {
  return hostServer({ ...creator, orgId: owner.orgId }, opts);
}

export type RuleRow = {
  server_id: string | null;
  org_id: string | null;
  sub: string | null;
  client_id: string | null;
  grant_id: string | null;
  reason: string;
};

/** The highest rule id now: pass it to rulesSince to see what a step appended. */
export async function ruleMark(): Promise<number> {
  const row = await env.DB.prepare('SELECT MAX(id) AS id FROM token_revocations').first<{
    id: number | null;
  }>();
  return row?.id ?? 0;
}

/** The rules appended after `mark`, oldest first; `touching` keeps those naming any of the ids. */
export async function rulesSince(mark: number, touching?: string[]): Promise<RuleRow[]> {
  const { results } = await env.DB.prepare(
    `SELECT server_id, org_id, sub, client_id, grant_id, reason FROM token_revocations
     WHERE id > ? ORDER BY id`,
  )
    .bind(mark)
    .all<RuleRow>();
  if (!touching) return results;
  return results.filter((r) =>
    [r.server_id, r.org_id, r.sub, r.client_id, r.grant_id].some(
      (v) => v !== null && touching.includes(v),
    ),
  );
}

/** A rule row with the unnamed columns null. */
export const rule = (r: Partial<RuleRow> & { reason: string }): RuleRow => ({
  server_id: null,
  org_id: null,
  sub: null,
  client_id: null,
  grant_id: null,
  ...r,
});

export async function grantRow(id: string) {
  return env.DB.prepare('SELECT revoked_at, revoked_reason FROM grants WHERE id = ?')
    .bind(id)
    .first<{ revoked_at: number | null; revoked_reason: string | null }>();
}
