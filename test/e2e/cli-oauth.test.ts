import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playBrowser } from '../support/form-browser';
import { moat, moatWithBrowser, newConfigDir } from '../support/moat-cli';
import { startPlatform, type Platform } from '../support/platform';

type Stored = {
  platforms: Record<
    string,
    {
      auth: {
        kind: string;
        resource: string;
        tokens: { access_token: string; refresh_token: string; expires_at: number };
      };
      client: { info: { client_id: string } };
    }
  >;
};

const PASSWORD = 'correct horse battery staple';

describe('moat login (OAuth 2.1 + PKCE, loopback redirect)', () => {
  let platform: Platform;
  const dirs: string[] = [];
  const read = (dir: string): Stored =>
    JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')) as Stored;

  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    await platform?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function loggedIn(email: string) {
    const config = newConfigDir();
    dirs.push(config);
    const run = await moatWithBrowser(platform.issuer, config, ['login'], (url) =>
      playBrowser(url, { email, password: PASSWORD }, { signUp: true }),
    );
    return { config, run };
  }

  it('signs in through the real /login and consent pages and stores tokens for {ISSUER}/v1 in a 0600 file', async () => {
    const email = `oauth-${Date.now()}@example.com`;
    const { config, run } = await loggedIn(email);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Logged in to ${platform.issuer} as ${email}`);
    const url = new URL(run.authorizeUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('resource')).toBe(`${platform.issuer}/v1`);
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);

    const entry = read(config).platforms[platform.issuer]!;
    expect(entry.auth).toMatchObject({ kind: 'oauth', resource: `${platform.issuer}/v1` });
    expect(run.stdout + run.stderr).not.toContain(entry.auth.tokens.access_token);
    expect(run.stdout + run.stderr).not.toContain(entry.auth.tokens.refresh_token);
    expect(statSync(join(config, 'credentials.json')).mode & 0o777).toBe(0o600);

    const who = await moat(platform.issuer, config, ['whoami']);
    expect(who.code).toBe(0);
    expect(who.stdout).toContain(email);
    expect(who.stdout).toContain('OAuth (moat login)');
  });

  it('refreshes an expired access token transparently and stores the rotated refresh token', async () => {
    const { config } = await loggedIn(`refresh-${Date.now()}@example.com`);
    const before = read(config);
    const entry = before.platforms[platform.issuer]!;
    entry.auth.tokens.expires_at = Date.now() - 1000;
    writeFileSync(join(config, 'credentials.json'), JSON.stringify(before));

    const who = await moat(platform.issuer, config, ['whoami', '--json']);
    expect(who.code).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ authenticatedBy: 'oauth' });
    const after = read(config).platforms[platform.issuer]!.auth.tokens;
    expect(after.access_token).not.toBe(entry.auth.tokens.access_token);
    expect(after.refresh_token).not.toBe(entry.auth.tokens.refresh_token);
    expect(after.expires_at).toBeGreaterThan(Date.now());
    expect(statSync(join(config, 'credentials.json')).mode & 0o777).toBe(0o600);
  });

  it('creates and deletes a server through /v1 with the OAuth token (no cookie, no CSRF token)', async () => {
    const { config } = await loggedIn(`writer-${Date.now()}@example.com`);
    const file = join(config, 'spec.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'OAuth made',
        slug: `oauth-made-${Date.now().toString(36)}`,
        visibility: 'private',
        secrets: [],
        egress: ['api.example.com'],
        tools: [
          {
            name: 'ping',
            description: 'Ping',
            inputSchema: { type: 'object', properties: {} },
            annotations: { readOnlyHint: true },
            http: { method: 'GET', url: 'https://api.example.com/ping' },
          },
        ],
      }),
    );
    const created = await moat(platform.issuer, config, [
      'servers',
      'create',
      '-f',
      file,
      '--json',
    ]);
    expect(created.code).toBe(0);
    const { slug } = JSON.parse(created.stdout) as { slug: string };
    const deleted = await moat(platform.issuer, config, ['servers', 'delete', slug, '--yes']);
    expect(deleted.code).toBe(0);
  });

  it('refreshes once when /v1 refuses the access token before it expires', async () => {
    const { config } = await loggedIn(`refused-${Date.now()}@example.com`);
    const stored = read(config);
    stored.platforms[platform.issuer]!.auth.tokens.access_token = 'eyJhbGciOiJSUzI1NiJ9.e30.bad';
    writeFileSync(join(config, 'credentials.json'), JSON.stringify(stored));
    const who = await moat(platform.issuer, config, ['whoami']);
    expect(who.code).toBe(0);
  });

  it('logs out by revoking the refresh token and deleting the file', async () => {
    const { config } = await loggedIn(`logout-${Date.now()}@example.com`);
    const entry = read(config).platforms[platform.issuer]!;
    const out = await moat(platform.issuer, config, ['logout', '--json']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ loggedOut: true, revoked: 1 });
    expect(() => statSync(join(config, 'credentials.json'))).toThrow();
    const res = await fetch(`${platform.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: entry.auth.tokens.refresh_token,
        client_id: entry.client.info.client_id,
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    const me = await fetch(`${platform.issuer}/v1/me`, {
      headers: { authorization: `Bearer ${entry.auth.tokens.access_token}` },
    });
    expect(me.status).toBe(401);
  });

  it('says access was denied with exit 3 when the user denies consent', async () => {
    const config = newConfigDir();
    dirs.push(config);
    const run = await moatWithBrowser(platform.issuer, config, ['login'], (url) =>
      playBrowser(
        url,
        { email: `deny-${Date.now()}@example.com`, password: PASSWORD },
        { signUp: true, decision: 'deny' },
      ),
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('You denied access');
    expect(run.stderr).toContain('Allow');
  });

  it('ignores a callback whose state does not match and still completes the real one', async () => {
    const config = newConfigDir();
    dirs.push(config);
    const run = await moatWithBrowser(platform.issuer, config, ['login'], async (url) => {
      const redirect = new URL(new URL(url).searchParams.get('redirect_uri')!);
      const forged = await fetch(`${redirect.href}?code=moat_ac_forged&state=wrong`);
      expect(forged.status).toBe(400);
      await playBrowser(
        url,
        { email: `state-${Date.now()}@example.com`, password: PASSWORD },
        { signUp: true },
      );
    });
    expect(run.code).toBe(0);
  });
});
