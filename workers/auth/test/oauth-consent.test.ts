import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signUp, type SignedUp } from './support/accounts';
import {
  authorize,
  authorizeUrl,
  csrfFromPage,
  getAuthorize,
  hostServer,
  ISSUER,
  pkce,
  postConsent,
  REDIRECT_URI,
  register,
  type Client,
  type HostedServer,
} from './support/oauth-client';

async function consentPage(user: SignedUp, server: HostedServer, client: Client, scope?: string) {
  const { challenge } = await pkce();
  const url = authorizeUrl({ client, resource: server.resource, challenge, scope });
  const res = await getAuthorize(url, user);
  const params = Object.fromEntries(new URL(url, ISSUER).searchParams);
  return { res, params, html: res.status === 200 ? await res.text() : '' };
}

async function auditCount(action: string, actor: string): Promise<number> {
  const row = await env.DB.prepare(
    'SELECT COUNT(*) AS n FROM audit_events WHERE action = ? AND actor = ?',
  )
    .bind(action, actor)
    .first<{ n: number }>();
  return row!.n;
}

describe('the consent page', () => {
  it('names the client as unverified, the server, the scopes in words and the redirect host', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register({ client_name: 'Friendly Agent' });
    const { res, html } = await consentPage(alice, server, client);
    expect(res.status).toBe(200);
    expect(html).toContain('Friendly Agent');
    expect(html).toContain('unverified');
    expect(html).toContain(`Server ${server.slug}`);
    expect(html).toContain('Read data through this server’s read-only tools');
    expect(html).toContain('Make changes through this server’s tools');
    expect(html).toContain('127.0.0.1:33418');
    expect(html).toContain(alice.email);
  });

  it('cannot be framed and allows the form to go only here and to the client', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { res } = await consentPage(alice, server, await register());
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' http://127.0.0.1:33418");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('escapes a client name carrying HTML', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register({ client_name: '<script>alert(1)</script>' });
    const { html } = await consentPage(alice, server, client);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('shows a metadata-document client by its domain', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = { client_id: `${env.CIMD_ORIGIN}/good/consent-page` } as Client;
    const { res, html } = await consentPage(alice, server, client);
    expect(res.status).toBe(200);
    expect(html).toContain(new URL(env.CIMD_ORIGIN).host);
    expect(html).toContain('Metadata App');
    expect(html).not.toContain('>unverified<');
  });
});

describe('POST /consent', () => {
  it('approves: redirects with a code, the exact state and iss', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const got = await authorize({
      client: await register(),
      user: alice,
      resource: server.resource,
      state: 'x y',
    });
    expect(`${got.location.origin}${got.location.pathname}`).toBe(REDIRECT_URI);
    expect(got.code).toMatch(/^moat_ac_/);
    expect(got.state).toBe('x y');
    expect(got.iss).toBe(ISSUER);
    expect(await auditCount('oauth.consent.granted', alice.user.id)).toBe(1);
    expect(await auditCount('oauth.code.issued', alice.user.id)).toBe(1);
  });

  it('denies: redirects with access_denied and issues nothing', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register();
    const { params, html } = await consentPage(alice, server, client);
    const res = await postConsent(
      { ...params, csrf_token: csrfFromPage(html), decision: 'deny' },
      alice,
    );
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe('st-123');
    expect(loc.searchParams.get('iss')).toBe(ISSUER);
    expect(await auditCount('oauth.consent.denied', alice.user.id)).toBe(1);
    const codes = await env.DB.prepare('SELECT COUNT(*) AS n FROM auth_codes WHERE user_id = ?')
      .bind(alice.user.id)
      .first<{ n: number }>();
    expect(codes!.n).toBe(0);
  });

  it('refuses a form without the CSRF token on a local page', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { params } = await consentPage(alice, server, await register());
    const res = await postConsent({ ...params, decision: 'approve' }, alice);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('refuses another session’s CSRF token', async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const server = await hostServer(alice, { visibility: 'public' });
    const client = await register();
    const { params, html } = await consentPage(mallory, server, client);
    const res = await postConsent(
      { ...params, csrf_token: csrfFromPage(html), decision: 'approve' },
      alice,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('refuses a cross-origin form post', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { params, html } = await consentPage(alice, server, await register());
    const res = await postConsent(
      { ...params, csrf_token: csrfFromPage(html), decision: 'approve' },
      alice,
      { origin: 'https://evil.example' },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('re-validates the request: a tampered redirect_uri gets a local page', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { params, html } = await consentPage(alice, server, await register());
    const res = await postConsent(
      {
        ...params,
        redirect_uri: 'https://evil.example/cb',
        csrf_token: csrfFromPage(html),
        decision: 'approve',
      },
      alice,
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('remembered consent', () => {
  it('skips the page for the same client, server and scopes', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register();
    await authorize({ client, user: alice, resource: server.resource });
    const { res } = await consentPage(alice, server, client);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toMatch(/^moat_ac_/);
    expect(await auditCount('oauth.consent.granted', alice.user.id)).toBe(1);
  });

  it('skips the page for a subset of the consented scopes', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register();
    await authorize({ client, user: alice, resource: server.resource });
    const { res } = await consentPage(alice, server, client, 'mcp:read');
    expect(res.status).toBe(302);
  });

  it('always asks for a new client', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    await authorize({ client: await register(), user: alice, resource: server.resource });
    const { res } = await consentPage(alice, server, await register());
    expect(res.status).toBe(200);
  });

  it('asks again for more scopes (step-up), marks the new ones, and grants them', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register();
    await authorize({ client, user: alice, resource: server.resource, scope: 'mcp:read' });
    const { res, html } = await consentPage(alice, server, client, 'mcp:read mcp:write');
    expect(res.status).toBe(200);
    expect(html).toMatch(/mcp:write<\/code>\s*<strong> \(new\)<\/strong>/);
    const got = await authorize({
      client,
      user: alice,
      resource: server.resource,
      scope: 'mcp:read mcp:write',
    });
    expect(got.code).toBeTruthy();
    const row = await env.DB.prepare(
      'SELECT scope FROM consents WHERE user_id = ? AND client_id = ?',
    )
      .bind(alice.user.id, client.client_id)
      .first<{ scope: string }>();
    expect(row!.scope).toBe('mcp:read mcp:write');
  });

  it('does not cap a client to the scope it registered with', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register({ scope: 'mcp:read' });
    const { res } = await consentPage(alice, server, client, 'mcp:read mcp:write');
    expect(res.status).toBe(200);
  });

  it('asks again with prompt=consent', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const client = await register();
    await authorize({ client, user: alice, resource: server.resource });
    const { challenge } = await pkce();
    const url = authorizeUrl({
      client,
      resource: server.resource,
      challenge,
      extra: { prompt: 'consent' },
    });
    expect((await getAuthorize(url, alice)).status).toBe(200);
  });
});

describe('visibility decides who may consent', () => {
  async function addMember(orgId: string, user: SignedUp, role: 'member' | 'owner') {
    await env.DB.prepare(
      'INSERT INTO members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)',
    )
      .bind(orgId, user.user.id, role, Date.now())
      .run();
  }

  it('private: another user gets access_denied', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const server = await hostServer(alice, { visibility: 'private' });
    const { res } = await consentPage(bob, server, await register());
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('private: a plain member of the org gets access_denied', async () => {
    const alice = await signUp();
    const bob = await signUp();
    await addMember(alice.orgId, bob, 'member');
    const server = await hostServer(alice, { visibility: 'private' });
    const { res } = await consentPage(bob, server, await register());
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('org: a member of the org may consent', async () => {
    const alice = await signUp();
    const bob = await signUp();
    await addMember(alice.orgId, bob, 'member');
    const server = await hostServer(alice, { visibility: 'org' });
    const { res } = await consentPage(bob, server, await register());
    expect(res.status).toBe(200);
  });

  it('org: a user outside the org gets access_denied', async () => {
    const alice = await signUp();
    const carol = await signUp();
    const server = await hostServer(alice, { visibility: 'org' });
    const { res } = await consentPage(carol, server, await register());
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('access_denied');
  });

  it('public: any signed-in user may consent', async () => {
    const alice = await signUp();
    const carol = await signUp();
    const server = await hostServer(alice, { visibility: 'public' });
    const { res } = await consentPage(carol, server, await register());
    expect(res.status).toBe(200);
  });
});
