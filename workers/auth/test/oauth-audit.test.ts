import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signUp } from './support/accounts';
import {
  authorize,
  hostServer,
  register,
  revoke,
  tokenRequest,
  type TokenBody,
} from './support/oauth-client';

describe('OAuth audit trail', () => {
  it('records every step of a connection and never a code, token or secret', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register({ token_endpoint_auth_method: 'client_secret_post' });
    const got = await authorize({ client, user: alice, resource: server.resource });
    const tokenRes = await tokenRequest({
      grant_type: 'authorization_code',
      client_id: client.client_id,
      client_secret: client.client_secret,
      code: got.code,
      code_verifier: got.verifier,
      redirect_uri: 'http://127.0.0.1:33418/callback',
    });
    const first = await tokenRes.json<TokenBody>();
    const second = await (
      await tokenRequest({
        grant_type: 'refresh_token',
        client_id: client.client_id,
        client_secret: client.client_secret,
        refresh_token: first.refresh_token,
      })
    ).json<TokenBody>();
    await revoke({ client, token: second.refresh_token! });

    const { results } = await env.DB.prepare(
      `SELECT action, actor, resource, org_id, metadata FROM audit_events
       WHERE resource IN (?, ?) ORDER BY id`,
    )
      .bind(server.id, client.client_id)
      .all<{ action: string; actor: string; org_id: string | null; metadata: string }>();
    // Events of one batch share a millisecond, so compare as a set.
    expect(results.map((r) => r.action).sort()).toEqual(
      [
        'oauth.client.registered',
        'oauth.consent.granted',
        'oauth.code.issued',
        'oauth.token.issued',
        'oauth.token.refreshed',
        'oauth.token.revoked',
      ].sort(),
    );
    expect(
      results
        .filter((r) => r.action !== 'oauth.client.registered')
        .every((r) => r.org_id === alice.orgId),
    ).toBe(true);
    const everything = JSON.stringify(await env.DB.prepare('SELECT * FROM audit_events').all());
    for (const secret of [
      got.code,
      client.client_secret!,
      first.access_token,
      first.refresh_token!,
      second.access_token,
      second.refresh_token!,
      got.verifier,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
