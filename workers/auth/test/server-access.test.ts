// Access to a hosted server follows the user's *current* membership and role, on every path that
// mints a token (docs/oauth.md "Who may use a server"). Membership is taken away here with a bare
// DELETE, as any path might, so these tests show the token paths' own check, not the revocation
// that the member routes add (access-revocation.test.ts).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { redeemCodeStatement } from '../src/store/auth-codes';
import type { Role } from '../src/store/orgs';
import { mayUseServer, mayUseServerSql } from '../src/store/server-access';
import { signUp, type SignedUp } from './support/accounts';
import {
  authorize,
  authorizeUrl,
  connect,
  exchangeCode,
  getAuthorize,
  hostServer,
  oauthError,
  pkce,
  refresh,
  register,
  tokenRequest,
  type Client,
} from './support/oauth-client';
import { machineClient } from './support/machine-clients';
import { hostServerBy, team } from './support/teams';

async function dropMembership(orgId: string, user: SignedUp) {
  await env.DB.prepare('DELETE FROM members WHERE org_id = ? AND user_id = ?')
    .bind(orgId, user.user.id)
    .run();
}

async function expectInvalidGrant(res: Response) {
  expect(res.status).toBe(400);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await oauthError(res)).toBe('invalid_grant');
}

const cc = (client: Client, resource: string) =>
  tokenRequest(
    { grant_type: 'client_credentials', resource },
    { basic: [client.client_id, client.client_secret!] },
  );

describe('the access rule', () => {
  it('agrees in TypeScript and SQL on every visibility, role and creator', async () => {
    const roles: (Role | null)[] = ['owner', 'admin', 'member', null];
    for (const visibility of ['private', 'org', 'public'] as const) {
      for (const role of roles) {
        for (const creator of [true, false]) {
          const row = await env.DB.prepare(
            `WITH s AS (SELECT 'org_r' AS org_id, ?1 AS visibility, ?2 AS created_by),
                  members AS (SELECT 'org_r' AS org_id, 'usr_r' AS user_id, ?3 AS role
                              WHERE ?3 IS NOT NULL)
             SELECT ${mayUseServerSql("'usr_r'")} AS ok FROM s`,
          )
            .bind(visibility, creator ? 'usr_r' : 'usr_other', role)
            .first<{ ok: number }>();
          const server = { visibility, createdBy: creator ? 'usr_r' : 'usr_other' };
          expect([visibility, role, creator, row!.ok === 1]).toEqual([
            visibility,
            role,
            creator,
            mayUseServer(server, 'usr_r', role),
          ]);
        }
      }
    }
  });

  it('requires membership first: a private server’s creator who left has no access', () => {
    const server = { visibility: 'private' as const, createdBy: 'usr_c' };
    expect(mayUseServer(server, 'usr_c', null)).toBe(false);
    expect(mayUseServer(server, 'usr_c', 'member')).toBe(true);
    expect(mayUseServer(server, 'usr_o', 'owner')).toBe(true);
    expect(mayUseServer(server, 'usr_a', 'admin')).toBe(false);
  });
});

describe('a removed member gets no new token', () => {
  it('shows access_denied at /authorize to the creator of a private server after removal', async () => {
    const { alice, bob } = await team('admin');
    const server = await hostServerBy(bob, alice, { visibility: 'private' });
    await dropMembership(alice.orgId, bob);
    const { challenge } = await pkce();
    const client = await register();
    const res = await getAuthorize(
      authorizeUrl({ client, resource: server.resource, challenge }),
      bob,
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('refuses to redeem a code minted before the removal with invalid_grant', async () => {
    const { alice, bob } = await team('admin');
    const server = await hostServerBy(bob, alice, { visibility: 'private' });
    const client = await register();
    const { code, verifier } = await authorize({ client, user: bob, resource: server.resource });
    await dropMembership(alice.orgId, bob);
    await expectInvalidGrant(await exchangeCode({ client, code, verifier }));
    const grants = await env.DB.prepare('SELECT COUNT(*) AS n FROM grants WHERE client_id = ?')
      .bind(client.client_id)
      .first<{ n: number }>();
    expect(grants!.n).toBe(0);
  });

  it('refuses a refresh after the removal with invalid_grant and revokes the grant', async () => {
    const { alice, bob } = await team('admin');
    const server = await hostServerBy(bob, alice, { visibility: 'private' });
    const { client, tokens } = await connect(bob, server);
    await dropMembership(alice.orgId, bob);
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
    const row = await env.DB.prepare(
      'SELECT revoked_reason FROM grants WHERE client_id = ? AND user_id = ?',
    )
      .bind(client.client_id, bob.user.id)
      .first<{ revoked_reason: string }>();
    expect(row).toEqual({ revoked_reason: 'access_lost' });
  });

  it('refuses a refresh right after the removal, even just after an allowed one', async () => {
    const { alice, bob } = await team('member');
    const server = await hostServer(alice, { visibility: 'org' });
    const { client, tokens } = await connect(bob, server);
    // An allowed refresh first (it once cached the positive answer in the isolate for 5 s).
    const first = await refresh({ client, refreshToken: tokens.refresh_token! });
    expect(first.status).toBe(200);
    const { refresh_token } = await first.json<{ refresh_token: string }>();
    await dropMembership(alice.orgId, bob);
    await expectInvalidGrant(await refresh({ client, refreshToken: refresh_token }));
  });

  it('refuses client_credentials for a removed owner’s machine client with unauthorized_client', async () => {
    const { alice, bob } = await team('admin');
    const server = await hostServerBy(bob, alice, { visibility: 'private' });
    const client = (await machineClient(bob, { orgId: alice.orgId })).client;
    expect((await cc(client, server.resource)).status).toBe(200);
    await dropMembership(alice.orgId, bob);
    const res = await cc(client, server.resource);
    expect(res.status).toBe(400);
    expect(await oauthError(res)).toBe('unauthorized_client');
  });

  it('refuses an owner demoted to admin: private servers are for owners and their creator', async () => {
    const { alice, bob } = await team('owner');
    const server = await hostServer(alice, { visibility: 'private' });
    const { client, tokens } = await connect(bob, server);
    await env.DB.prepare(`UPDATE members SET role = 'admin' WHERE org_id = ? AND user_id = ?`)
      .bind(alice.orgId, bob.user.id)
      .run();
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
  });
});

describe('a code whose access is lost during redemption', () => {
  it('does not commit the redemption when the compare-and-set sees no access', async () => {
    const { alice, bob } = await team('member');
    const server = await hostServer(alice, { visibility: 'org' });
    const hash = `code-${crypto.randomUUID()}`;
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO auth_codes (code_hash, client_id, user_id, server_id, redirect_uri,
         code_challenge, resource, scope, created_at, expires_at)
       VALUES (?, 'cl_x', ?, ?, 'http://127.0.0.1/cb', 'c', ?, 'mcp:read', ?, ?)`,
    )
      .bind(hash, bob.user.id, server.id, server.resource, now, now + 600_000)
      .run();
    await dropMembership(alice.orgId, bob);
    const result = await redeemCodeStatement(env.DB, hash, 'gr_x', now, {
      requireAccess: true,
    }).run();
    expect(result.meta.changes).toBe(0);
  });
});

describe('a deleted server', () => {
  it('ends refresh with invalid_grant', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client, tokens } = await connect(alice, server);
    await env.DB.prepare('DELETE FROM servers WHERE id = ?').bind(server.id).run();
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
  });

  it('ends code redemption with invalid_grant', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register();
    const { code, verifier } = await authorize({ client, user: alice, resource: server.resource });
    await env.DB.prepare('DELETE FROM servers WHERE id = ?').bind(server.id).run();
    await expectInvalidGrant(await exchangeCode({ client, code, verifier }));
  });

  it('does not let a code for a deleted server redeem at a new server on the same slug', async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const server = await hostServer(alice);
    const client = await register();
    const { code, verifier } = await authorize({ client, user: alice, resource: server.resource });
    await env.DB.prepare('DELETE FROM servers WHERE id = ?').bind(server.id).run();
    await hostServer(mallory, { slug: server.slug, visibility: 'public' });
    await expectInvalidGrant(await exchangeCode({ client, code, verifier }));
  });
});
