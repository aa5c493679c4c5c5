// Every path that revokes a grant appends the `{grantId}` rule that stops its access tokens at the
// runner, in the same batch (store/grants.ts revokeGrantStatements; docs/oauth.md "What ends
// access"). /revoke of an access token revokes its grant (RFC 7009 §2.1).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, createApiKey, signUp } from './support/accounts';
import {
  authorize,
  connect,
  exchangeCode,
  hostServer,
  oauthError,
  refresh,
  register,
  revoke,
  tokenRequest,
  verifyWithJwks,
  type TokenBody,
} from './support/oauth-client';
import { grantRow, rule, ruleMark, rulesSince } from './support/teams';

const grantIdOf = async (tokens: TokenBody) =>
  String((await verifyWithJwks(tokens.access_token)).payload.jti).split('.')[0]!;

async function connected() {
  const alice = await signUp();
  const server = await hostServer(alice, { visibility: 'public' });
  const { client, tokens } = await connect(alice, server);
  return {
    alice,
    server,
    client,
    tokens,
    grantId: await grantIdOf(tokens),
    mark: await ruleMark(),
  };
}

async function expectInvalidGrant(res: Response) {
  expect(res.status).toBe(400);
  expect(await oauthError(res)).toBe('invalid_grant');
}

describe('revoking a grant appends a {grantId} rule', () => {
  it('from Connected apps (DELETE /v1/me/grants/:id)', async () => {
    const { alice, grantId, mark } = await connected();
    const res = await api(`/v1/me/grants/${grantId}`, { as: alice, method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await rulesSince(mark, [grantId])).toEqual([
      rule({ grant_id: grantId, reason: 'grant_revoked' }),
    ]);
  });

  it('from the server’s clients (DELETE /v1/servers/:id/grants/:id)', async () => {
    const { alice, server, grantId, mark } = await connected();
    const res = await api(`/v1/servers/${server.id}/grants/${grantId}`, {
      as: alice,
      method: 'DELETE',
    });
    expect(res.status).toBe(204);
    expect(await rulesSince(mark, [grantId])).toEqual([
      rule({ grant_id: grantId, reason: 'grant_revoked' }),
    ]);
  });

  it('at /revoke with the refresh token', async () => {
    const { client, tokens, grantId, mark } = await connected();
    expect((await revoke({ client, token: tokens.refresh_token! })).status).toBe(200);
    expect(await rulesSince(mark, [grantId])).toEqual([
      rule({ grant_id: grantId, reason: 'grant_revoked' }),
    ]);
  });

  it('when a used refresh token comes back (reuse revokes the family)', async () => {
    const { client, tokens, grantId, mark } = await connected();
    const next = await (
      await refresh({ client, refreshToken: tokens.refresh_token! })
    ).json<TokenBody>();
    expect((await refresh({ client, refreshToken: next.refresh_token! })).status).toBe(200);
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
    expect(await rulesSince(mark, [grantId])).toEqual([
      rule({ grant_id: grantId, reason: 'grant_revoked' }),
    ]);
  });

  it('when a code is redeemed twice', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register();
    const { code, verifier } = await authorize({ client, user: alice, resource: server.resource });
    const first = await (await exchangeCode({ client, code, verifier })).json<TokenBody>();
    const grantId = await grantIdOf(first);
    const mark = await ruleMark();
    await expectInvalidGrant(await exchangeCode({ client, code, verifier }));
    expect(await rulesSince(mark, [grantId])).toEqual([
      rule({ grant_id: grantId, reason: 'grant_revoked' }),
    ]);
  });

  it('when a refresh finds the user lost access', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const server = await hostServer(alice, { visibility: 'public' });
    const { client, tokens } = await connect(bob, server);
    const grantId = await grantIdOf(tokens);
    const mark = await ruleMark();
    // Narrowed behind the AS's back, so only the refresh's own check can notice.
    await env.DB.prepare(`UPDATE servers SET visibility = 'private' WHERE id = ?`)
      .bind(server.id)
      .run();
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
    expect(await rulesSince(mark, [grantId])).toEqual([
      rule({ grant_id: grantId, reason: 'grant_revoked' }),
    ]);
  });
});

describe('/revoke with an access token', () => {
  it('revokes its grant: the refresh token stops and a {grantId} rule is appended', async () => {
    const { client, tokens, grantId, mark } = await connected();
    expect((await revoke({ client, token: tokens.access_token })).status).toBe(200);
    expect(await rulesSince(mark, [grantId])).toEqual([
      rule({ grant_id: grantId, reason: 'grant_revoked' }),
    ]);
    expect(await grantRow(grantId)).toMatchObject({ revoked_reason: 'revoked_by_client' });
    await expectInvalidGrant(await refresh({ client, refreshToken: tokens.refresh_token! }));
  });

  it('appends {grantId} of the machine grant for a client_credentials token', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { key } = await createApiKey(alice);
    const client = await register(
      {
        client_name: 'Nightly job',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: undefined,
        response_types: undefined,
      },
      { key },
    );
    const res = await tokenRequest(
      { grant_type: 'client_credentials', resource: server.resource },
      { basic: [client.client_id, client.client_secret!] },
    );
    const { access_token } = await res.json<TokenBody>();
    const { jti } = JSON.parse(
      atob(access_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
    ) as {
      jti: string;
    };
    const grantId = jti.split('.')[0]!;
    expect(grantId).toMatch(/^gr_/);
    const mark = await ruleMark();
    expect((await revoke({ client, token: access_token })).status).toBe(200);
    expect(await rulesSince(mark, [grantId])).toEqual([
      expect.objectContaining({ grant_id: grantId }),
    ]);
  });

  it('appends nothing for another client’s access token', async () => {
    const { tokens, grantId, mark } = await connected();
    const other = await register();
    expect((await revoke({ client: other, token: tokens.access_token })).status).toBe(200);
    expect(await rulesSince(mark, [grantId, other.client_id])).toEqual([]);
    expect(await grantRow(grantId)).toMatchObject({ revoked_at: null });
  });
});
