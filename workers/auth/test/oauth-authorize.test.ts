import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signUp } from './support/accounts';
import {
  authorize,
  authorizeUrl,
  exchangeCode,
  getAuthorize,
  hostServer,
  ISSUER,
  pkce,
  REDIRECT_URI,
  register,
  RUNNER_ORIGIN,
  verifyWithJwks,
  type TokenBody,
} from './support/oauth-client';

async function setup(visibility: 'private' | 'org' | 'public' = 'private') {
  const alice = await signUp();
  const server = await hostServer(alice, { visibility });
  const client = await register();
  const { challenge } = await pkce();
  return { alice, server, client, challenge };
}

/** A local error page: 400 HTML, never a redirect. */
async function expectLocalError(res: Response, text: RegExp) {
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(await res.text()).toMatch(text);
}

/** An error redirect to the client with error, the exact state and iss (RFC 9207). */
function expectErrorRedirect(res: Response, error: string, state = 'st-123') {
  expect(res.status).toBe(302);
  const loc = new URL(res.headers.get('location')!);
  expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT_URI);
  expect(loc.searchParams.get('error')).toBe(error);
  expect(loc.searchParams.get('state')).toBe(state);
  expect(loc.searchParams.get('iss')).toBe(ISSUER);
  expect(loc.searchParams.get('code')).toBeNull();
}

describe('GET /authorize: errors before the client is validated stay local', () => {
  it('shows a local page for an unknown client_id', async () => {
    const { alice, server, challenge } = await setup();
    const url = authorizeUrl({
      client: { client_id: 'cl_nope' },
      resource: server.resource,
      challenge,
    });
    await expectLocalError(await getAuthorize(url, alice), /invalid_client/);
  });

  it('shows a local page for a missing client_id', async () => {
    const { alice } = await setup();
    await expectLocalError(
      await getAuthorize('/authorize?response_type=code', alice),
      /invalid_request/,
    );
  });

  it('shows a local page, not a redirect, for an unregistered redirect_uri', async () => {
    const { alice, server, client, challenge } = await setup();
    const url = authorizeUrl({
      client,
      resource: server.resource,
      challenge,
      redirectUri: 'https://attacker.example/cb',
    });
    await expectLocalError(await getAuthorize(url, alice), /not registered/);
  });

  it('shows a local page for a parameter sent twice', async () => {
    const { alice, server, client, challenge } = await setup();
    const url = `${authorizeUrl({ client, resource: server.resource, challenge })}&client_id=cl_x`;
    await expectLocalError(await getAuthorize(url, alice), /more than once/);
  });

  it('shows a local page for an expired unused registration', async () => {
    const { alice, server, client, challenge } = await setup();
    await env.DB.prepare('UPDATE oauth_clients SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, client.client_id)
      .run();
    const url = authorizeUrl({ client, resource: server.resource, challenge });
    await expectLocalError(await getAuthorize(url, alice), /invalid_client/);
  });

  it('refuses an https redirect_uri that differs only in port (exact match)', async () => {
    const { alice, server, challenge } = await setup();
    const client = await register({ redirect_uris: ['https://app.example/cb'] });
    const url = authorizeUrl({
      client,
      resource: server.resource,
      challenge,
      redirectUri: 'https://app.example:8443/cb',
    });
    await expectLocalError(await getAuthorize(url, alice), /not registered/);
  });
});

describe('GET /authorize: loopback redirect URIs (RFC 8252 §7.3)', () => {
  it('accepts a loopback redirect_uri on another port', async () => {
    const { alice, server, client } = await setup();
    const got = await authorize({
      client,
      user: alice,
      resource: server.resource,
      redirectUri: 'http://127.0.0.1:51234/callback',
    });
    expect(got.location.port).toBe('51234');
  });

  it('refuses a loopback redirect_uri with another path', async () => {
    const { alice, server, client, challenge } = await setup();
    const url = authorizeUrl({
      client,
      resource: server.resource,
      challenge,
      redirectUri: 'http://127.0.0.1:51234/other',
    });
    await expectLocalError(await getAuthorize(url, alice), /not registered/);
  });

  it('refuses localhost when 127.0.0.1 was registered', async () => {
    const { alice, server, client, challenge } = await setup();
    const url = authorizeUrl({
      client,
      resource: server.resource,
      challenge,
      redirectUri: 'http://localhost:33418/callback',
    });
    await expectLocalError(await getAuthorize(url, alice), /not registered/);
  });
});

describe('GET /authorize: errors after validation redirect with state and iss', () => {
  it('requires PKCE (invalid_request without code_challenge)', async () => {
    const { alice, server, client } = await setup();
    const url = authorizeUrl({ client, resource: server.resource, challenge: '' });
    expectErrorRedirect(await getAuthorize(url, alice), 'invalid_request');
  });

  it('refuses code_challenge_method=plain', async () => {
    const { alice, server, client, challenge } = await setup();
    const url = authorizeUrl({
      client,
      resource: server.resource,
      challenge,
      extra: { code_challenge_method: 'plain' },
    });
    expectErrorRedirect(await getAuthorize(url, alice), 'invalid_request');
  });

  it('refuses response_type=token with unsupported_response_type', async () => {
    const { alice, server, client, challenge } = await setup();
    const url = authorizeUrl({
      client,
      resource: server.resource,
      challenge,
      extra: { response_type: 'token' },
    });
    expectErrorRedirect(await getAuthorize(url, alice), 'unsupported_response_type');
  });

  it.each([
    ['missing', undefined],
    ['unknown server', `${RUNNER_ORIGIN}/no-such-server/mcp`],
    ['runner origin only', RUNNER_ORIGIN],
    ['another origin', 'https://evil.example/x/mcp'],
    ['with a query', `${RUNNER_ORIGIN}/x/mcp?a=1`],
  ])('refuses a %s resource with invalid_target', async (_, resource) => {
    const { alice, client, challenge } = await setup();
    const url = authorizeUrl({ client, resource, challenge });
    expectErrorRedirect(await getAuthorize(url, alice), 'invalid_target');
  });

  it('refuses a scope the server does not offer with invalid_scope', async () => {
    const { alice, server, client, challenge } = await setup();
    const url = authorizeUrl({ client, resource: server.resource, challenge, scope: 'mcp:admin' });
    expectErrorRedirect(await getAuthorize(url, alice), 'invalid_scope');
  });

  it('echoes an unusual state exactly', async () => {
    const { alice, server, client, challenge } = await setup();
    const state = 'a b&c=d/é+%';
    const url = authorizeUrl({
      client,
      resource: server.resource,
      challenge,
      state,
      scope: 'bad"scope',
    });
    expectErrorRedirect(await getAuthorize(url, alice), 'invalid_scope', state);
  });
});

// RFC 9700 §4.11.2: anyone can register a client whose redirect URI is evil.example, so before a
// user has signed in the AS must not bounce a visitor there on an error.
describe('GET /authorize: a self-registered client gets no error redirect before sign-in', () => {
  const kinds = [
    ['a DCR client', () => register({ redirect_uris: [REDIRECT_URI] })],
    [
      'a metadata-document client',
      async () => ({ client_id: `${env.CIMD_ORIGIN}/good/pre-login` }),
    ],
  ] as const;
  const errors: [
    string,
    (o: { resource: string; challenge: string }) => Record<string, string | undefined>,
  ][] = [
    ['no PKCE (invalid_request)', (o) => ({ resource: o.resource, code_challenge: '' })],
    [
      'plain PKCE (invalid_request)',
      (o) => ({
        resource: o.resource,
        code_challenge: o.challenge,
        code_challenge_method: 'plain',
      }),
    ],
    [
      'response_type=token (unsupported_response_type)',
      (o) => ({ resource: o.resource, code_challenge: o.challenge, response_type: 'token' }),
    ],
    [
      'an unknown resource (invalid_target)',
      (o) => ({ resource: `${RUNNER_ORIGIN}/no-such-server/mcp`, code_challenge: o.challenge }),
    ],
    [
      'a bogus scope (invalid_scope)',
      (o) => ({ resource: o.resource, code_challenge: o.challenge, scope: 'bogus' }),
    ],
    [
      'prompt=none (login_required)',
      (o) => ({ resource: o.resource, code_challenge: o.challenge, prompt: 'none' }),
    ],
  ];

  for (const [kind, makeClient] of kinds) {
    it.each(errors)(`renders %s locally for ${kind}`, async (_, params) => {
      const alice = await signUp();
      const server = await hostServer(alice);
      const client = await makeClient();
      const { challenge } = await pkce();
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: REDIRECT_URI,
        code_challenge_method: 'S256',
        state: 'st-123',
      });
      for (const [k, v] of Object.entries(params({ resource: server.resource, challenge }))) {
        if (v !== undefined) q.set(k, v);
      }
      const res = await getAuthorize(`/authorize?${q}`);
      await expectLocalError(res, /not signed in/);
    });

    it(`redirects invalid_scope with error, state and iss once signed in, for ${kind}`, async () => {
      const alice = await signUp();
      const server = await hostServer(alice);
      const client = await makeClient();
      const { challenge } = await pkce();
      const url = authorizeUrl({ client, resource: server.resource, challenge, scope: 'bogus' });
      expectErrorRedirect(await getAuthorize(url, alice), 'invalid_scope');
    });
  }
});

describe('GET /authorize: resource canonicalization (RFC 8707)', () => {
  it.each([
    ['a trailing slash', (r: string) => `${r}/`],
    ['no /mcp', (r: string) => r.replace(/\/mcp$/, '')],
    ['no /mcp with a slash', (r: string) => r.replace(/\/mcp$/, '/')],
    ['an upper-case scheme', (r: string) => r.replace('http:', 'HTTP:')],
  ])('maps a resource with %s to the one MCP URL as aud', async (_, variant) => {
    const { alice, server, client } = await setup();
    const got = await authorize({ client, user: alice, resource: variant(server.resource) });
    const res = await exchangeCode({ client, code: got.code, verifier: got.verifier });
    expect(res.status).toBe(200);
    const { payload } = await verifyWithJwks((await res.json<TokenBody>()).access_token);
    expect(payload.aud).toBe(server.resource);
  });
});

describe('GET /authorize: sign-in', () => {
  it('sends a signed-out browser to /login and back to the same request', async () => {
    const { server, client, challenge } = await setup();
    const url = authorizeUrl({ client, resource: server.resource, challenge });
    const res = await getAuthorize(url);
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!, ISSUER);
    expect(loc.pathname).toBe('/login');
    expect(loc.searchParams.get('return_to')).toBe(url);
  });
});
