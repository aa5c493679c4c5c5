// Removal, role change, visibility change and server deletion end access *now*: in the same batch
// as the change, the grants that lost access are revoked (their refresh tokens with them) and the
// rules that stop issued access tokens at the runner are appended to token_revocations
// (docs/oauth.md "What ends access").
import { env } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { ServerSpecSchema } from '../../../lib/spec/server-spec';
import { runBuild } from '../src/control-plane/build/pipeline';
import { api, signUp, type SignedUp } from './support/accounts';
import {
  authorizeUrl,
  connect,
  getAuthorize,
  hostServer,
  oauthError,
  pkce,
  refresh,
  register,
  RUNNER_ORIGIN,
  tokenRequest,
  verifyWithJwks,
  type Client,
  type HostedServer,
  type TokenBody,
} from './support/oauth-client';
import { machineClient } from './support/machine-clients';
import { createServer, sampleSpec } from './support/servers';
import {
  grantRow,
  hostServerBy,
  removeMember,
  rule,
  ruleMark,
  rulesSince,
  setRole,
  team,
} from './support/teams';

const grantIdOf = async (tokens: TokenBody) =>
  String((await verifyWithJwks(tokens.access_token)).payload.jti).split('.')[0]!;

async function expectInvalidGrant(res: Response) {
  expect(res.status).toBe(400);
  expect(await oauthError(res)).toBe('invalid_grant');
}

async function ccToken(client: Client, server: HostedServer): Promise<Response> {
  return tokenRequest(
    { grant_type: 'client_credentials', resource: server.resource },
    { basic: [client.client_id, client.client_secret!] },
  );
}

/** A server through POST /v1/servers, as a HostedServer. */
async function apiServer(owner: SignedUp, visibility: 'private' | 'org' | 'public') {
  const created = await createServer(owner, sampleSpec(undefined, { visibility }));
  return { id: created.id, slug: created.slug, resource: `${RUNNER_ORIGIN}/${created.slug}/mcp` };
}

const patchVisibility = (as: SignedUp, server: HostedServer, visibility: string) =>
  api(`/v1/servers/${server.id}`, { as, method: 'PATCH', body: { visibility } });

describe('removing a member', () => {
  it('revokes their grants to the org’s private servers and appends {sub, orgId}', async () => {
    const { alice, bob } = await team('admin');
    const server = await hostServerBy(bob, alice, { visibility: 'private' });
    const { client, tokens } = await connect(bob, server);
    const grantId = await grantIdOf(tokens);
    const mark = await ruleMark();
    expect((await removeMember(alice, bob)).status).toBe(204);
    expect(await rulesSince(mark, [bob.user.id, grantId])).toEqual([
      rule({ org_id: alice.orgId, sub: bob.user.id, reason: 'member_removed' }),
    ]);
    expect(await grantRow(grantId)).toMatchObject({ revoked_reason: 'member_removed' });
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
  });

  it('ends the access of a member who leaves the org themselves', async () => {
    const { alice, bob } = await team('member');
    const server = await hostServer(alice, { visibility: 'org' });
    const { client, tokens } = await connect(bob, server);
    const grantId = await grantIdOf(tokens);
    const mark = await ruleMark();
    expect((await removeMember(bob, bob, alice.orgId)).status).toBe(204);
    expect(await rulesSince(mark, [bob.user.id, grantId])).toEqual([
      rule({ org_id: alice.orgId, sub: bob.user.id, reason: 'member_removed' }),
    ]);
    expect(await grantRow(grantId)).toMatchObject({ revoked_reason: 'member_removed' });
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
  });

  it('keeps their grant to a public server of the org, which anyone may use', async () => {
    const { alice, bob } = await team('member');
    const server = await hostServer(alice, { visibility: 'public' });
    const { client, tokens } = await connect(bob, server);
    expect((await removeMember(alice, bob)).status).toBe(204);
    expect(await grantRow(await grantIdOf(tokens))).toMatchObject({ revoked_at: null });
    expect((await refresh({ client, refreshToken: tokens.refresh_token! })).status).toBe(200);
  });

  it('writes one {clientId} rule for each of their machine clients, which are deleted in the same batch', async () => {
    const { alice, bob } = await team('admin');
    const server = await hostServer(alice, { visibility: 'org' });
    const client = (await machineClient(bob, { orgId: alice.orgId })).client;
    expect((await ccToken(client, server)).status).toBe(200);
    const mark = await ruleMark();
    expect((await removeMember(alice, bob)).status).toBe(204);
    // Once: the client is revoked whole, so no narrower {clientId, orgId} rule beside it.
    expect(await rulesSince(mark, [client.client_id])).toEqual([
      rule({ client_id: client.client_id, reason: 'member_removed' }),
    ]);
    const res = await ccToken(client, server);
    expect(res.status).toBe(401);
    expect(await oauthError(res)).toBe('invalid_client');
  });

  it('appends nothing when the removal is refused (the last owner)', async () => {
    const alice = await signUp();
    const server = await hostServer(alice, { visibility: 'private' });
    const { client, tokens } = await connect(alice, server);
    const mark = await ruleMark();
    expect((await removeMember(alice, alice)).status).toBe(409);
    expect(await rulesSince(mark, [alice.user.id, alice.orgId])).toEqual([]);
    expect((await refresh({ client, refreshToken: tokens.refresh_token! })).status).toBe(200);
  });
});

describe('changing a member’s role', () => {
  it('revokes a demoted owner’s grants to others’ private servers with {grantId} rules', async () => {
    const { alice, bob } = await team('owner');
    const secret = await hostServer(alice, { visibility: 'private' });
    const shared = await hostServer(alice, { visibility: 'org' });
    const lost = await connect(bob, secret);
    const kept = await connect(bob, shared);
    const [lostId, keptId] = [await grantIdOf(lost.tokens), await grantIdOf(kept.tokens)];
    const mark = await ruleMark();
    await setRole(alice, bob, 'admin');
    expect(await rulesSince(mark, [bob.user.id, lostId, keptId])).toEqual([
      rule({ grant_id: lostId, reason: 'role_changed' }),
    ]);
    expect(await grantRow(lostId)).toMatchObject({ revoked_reason: 'role_changed' });
    await expectInvalidGrant(
      await refresh({ client: lost.client, refreshToken: lost.tokens.refresh_token! }),
    );
    const res = await refresh({ client: kept.client, refreshToken: kept.tokens.refresh_token! });
    expect(res.status).toBe(200);
  });

  it('keeps a demoted owner’s own private server', async () => {
    const { alice, bob } = await team('owner');
    const own = await hostServerBy(bob, alice, { visibility: 'private' });
    const { client, tokens } = await connect(bob, own);
    const mark = await ruleMark();
    await setRole(alice, bob, 'member');
    expect(await rulesSince(mark, [bob.user.id, await grantIdOf(tokens)])).toEqual([]);
    expect((await refresh({ client, refreshToken: tokens.refresh_token! })).status).toBe(200);
  });

  it('appends {clientId, serverId} for a demoted owner’s machine client', async () => {
    const { alice, bob } = await team('owner');
    const secret = await hostServer(alice, { visibility: 'private' });
    const client = (await machineClient(bob, { orgId: alice.orgId })).client;
    expect((await ccToken(client, secret)).status).toBe(200);
    const mark = await ruleMark();
    await setRole(alice, bob, 'admin');
    expect(await rulesSince(mark, [client.client_id])).toEqual([
      rule({ server_id: secret.id, client_id: client.client_id, reason: 'role_changed' }),
    ]);
    expect((await ccToken(client, secret)).status).toBe(400);
  });
});

describe('narrowing a server’s visibility', () => {
  it('revokes the grants of members who lost access with {grantId} rules, not the creator’s', async () => {
    const { alice, bob } = await team('member');
    const server = await apiServer(alice, 'org');
    const member = await connect(bob, server);
    const creator = await connect(alice, server);
    const [memberId, creatorId] = [await grantIdOf(member.tokens), await grantIdOf(creator.tokens)];
    const mark = await ruleMark();
    expect((await patchVisibility(alice, server, 'private')).status).toBe(200);
    expect(await rulesSince(mark, [server.id, memberId, creatorId])).toEqual([
      rule({ grant_id: memberId, reason: 'visibility_changed' }),
    ]);
    expect(await grantRow(memberId)).toMatchObject({ revoked_reason: 'visibility_changed' });
    await expectInvalidGrant(
      await refresh({ client: member.client, refreshToken: member.tokens.refresh_token! }),
    );
    const res = await refresh({
      client: creator.client,
      refreshToken: creator.tokens.refresh_token!,
    });
    expect(res.status).toBe(200);
  });

  it('revokes outsiders’ grants when a public server becomes org-only', async () => {
    const alice = await signUp();
    const carol = await signUp();
    const server = await apiServer(alice, 'public');
    const { client, tokens } = await connect(carol, server);
    const grantId = await grantIdOf(tokens);
    const mark = await ruleMark();
    expect((await patchVisibility(alice, server, 'org')).status).toBe(200);
    expect(await rulesSince(mark, [grantId])).toEqual([
      rule({ grant_id: grantId, reason: 'visibility_changed' }),
    ]);
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
  });

  it('appends {clientId, serverId} for a machine client whose owner lost access', async () => {
    const { alice, bob } = await team('admin');
    const server = await apiServer(alice, 'org');
    const client = (await machineClient(bob, { orgId: alice.orgId })).client;
    expect((await ccToken(client, server)).status).toBe(200);
    const mark = await ruleMark();
    expect((await patchVisibility(alice, server, 'private')).status).toBe(200);
    expect(await rulesSince(mark, [client.client_id])).toEqual([
      rule({ server_id: server.id, client_id: client.client_id, reason: 'visibility_changed' }),
    ]);
  });

  it('appends nothing when a publish keeps or widens visibility', async () => {
    const { alice, bob } = await team('member');
    const server = await apiServer(alice, 'org');
    const { tokens } = await connect(bob, server);
    const mark = await ruleMark();
    expect((await patchVisibility(alice, server, 'public')).status).toBe(200);
    expect((await patchVisibility(alice, server, 'public')).status).toBe(200);
    expect(await rulesSince(mark, [server.id, await grantIdOf(tokens)])).toEqual([]);
  });

  it('puts back the previous version’s visibility when a build’s smoke test fails', async () => {
    const alice = await signUp();
    const carol = await signUp();
    const origin = inject('downstreamOrigin');
    const slug = `acc-smoke-${Date.now().toString(36)}`;
    const spec = (visibility: 'private' | 'public') =>
      ServerSpecSchema.parse({
        name: 'Smoke',
        slug,
        visibility,
        egress: [new URL(origin).host],
        tools: [
          {
            name: 'get_forecast',
            description: 'Forecast for a city',
            inputSchema: {
              type: 'object',
              properties: { city: { type: 'string', examples: [slug] } },
              required: ['city'],
            },
            annotations: { readOnlyHint: true },
            http: { method: 'GET', url: `${origin}/forecast?city={city}` },
          },
        ],
      });
    const created = await createServer(alice, spec('private'));
    const server = { id: created.id, slug, resource: `${RUNNER_ORIGIN}/${slug}/mcp` };
    // A grant Carol got while version 2 (public) was live, before the smoke test withdrew it.
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO grants (id, user_id, client_id, server_id, resource, scope, created_at,
         expires_at, last_token_at) VALUES (?, ?, 'cl_smoke', ?, ?, 'mcp:read', ?, ?, ?)`,
    )
      .bind(`gr_smoke${now}`, carol.user.id, server.id, server.resource, now, now + 1e9, now)
      .run();
    const mark = await ruleMark();
    // A wrong RUNNER_ORIGIN makes the smoke test fail (builds.test.ts does the same).
    const misconfigured = { ...env, RUNNER_ORIGIN: 'http://wrong-runner.example' } as Env;
    const outcome = await runBuild(
      misconfigured,
      {
        buildId: `bld_acc${now}`,
        serverId: server.id,
        createdBy: alice.user.id,
        spec: spec('public'),
        options: {},
      },
      async () => {},
    );
    expect(outcome).toMatchObject({ status: 'failed', failure: { step: 'smoke' } });
    const row = await env.DB.prepare('SELECT current_version, visibility FROM servers WHERE id = ?')
      .bind(server.id)
      .first();
    expect(row).toEqual({ current_version: 1, visibility: 'private' });
    expect(await rulesSince(mark, [`gr_smoke${now}`])).toEqual([
      rule({ grant_id: `gr_smoke${now}`, reason: 'visibility_changed' }),
    ]);
    const { challenge } = await pkce();
    const res = await getAuthorize(
      authorizeUrl({ client: await register(), resource: server.resource, challenge }),
      carol,
    );
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });
});

describe('deleting a server', () => {
  it('revokes its grants and appends {serverId}', async () => {
    const alice = await signUp();
    const server = await apiServer(alice, 'private');
    const { client, tokens } = await connect(alice, server);
    const grantId = await grantIdOf(tokens);
    const mark = await ruleMark();
    expect((await api(`/v1/servers/${server.id}`, { as: alice, method: 'DELETE' })).status).toBe(
      204,
    );
    expect(await rulesSince(mark, [server.id, grantId])).toEqual([
      rule({ server_id: server.id, reason: 'server_deleted' }),
    ]);
    expect(await grantRow(grantId)).toMatchObject({ revoked_reason: 'server_deleted' });
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
  });
});
