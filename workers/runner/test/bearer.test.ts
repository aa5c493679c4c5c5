import { env } from 'cloudflare:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { mcpFetch, INITIALIZE_REQUEST } from './support/mcp';
import { mintToken, publicJwk, publishTestJwks, resourceOf } from './support/tokens';
import { publishServer, uniqueSlug, weatherSpec } from './support/servers';

let slug: string;
let prm: string;

beforeAll(async () => {
  slug = uniqueSlug('bearer');
  await publishServer(weatherSpec(slug));
  prm = `${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${slug}/mcp`;
});

async function expectInvalidToken(token: string) {
  const res = await mcpFetch(slug, INITIALIZE_REQUEST, { token });
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe(
    `Bearer resource_metadata="${prm}", error="invalid_token", error_description="The access token is not valid for this server", scope="mcp:read"`,
  );
  expect(res.headers.get('mcp-session-id')).toBeNull();
}

describe('bearer check at the runner', () => {
  it('answers 401 with resource_metadata, the scope to ask for and no error code when no token is sent', async () => {
    const res = await mcpFetch(slug, INITIALIZE_REQUEST);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${prm}", scope="mcp:read"`,
    );
  });

  it('ignores a token in the query string (header only)', async () => {
    const token = await mintToken(slug);
    const q = await exports.default.fetch(`${resourceOf(slug)}?access_token=${token}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify(INITIALIZE_REQUEST),
    });
    expect(q.status).toBe(401);
    expect(q.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${prm}", scope="mcp:read"`,
    );
  });

  it('accepts a valid token and opens a session', async () => {
    const res = await mcpFetch(slug, INITIALIZE_REQUEST, { token: await mintToken(slug) });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toMatch(/^[a-z2-7]{32}$/);
    await res.text();
  });

  it('rejects a token for another server (cross-server) with invalid_token', async () => {
    const other = uniqueSlug('other');
    await publishServer(weatherSpec(other));
    await expectInvalidToken(await mintToken(other));
  });

  it('rejects an audience that is only similar (trailing slash, origin only)', async () => {
    await expectInvalidToken(await mintToken(slug, { aud: `${resourceOf(slug)}/` }));
    await expectInvalidToken(await mintToken(slug, { aud: env.RUNNER_ORIGIN }));
  });

  it('rejects a token naming several audiences', async () => {
    await expectInvalidToken(
      await mintToken(slug, { aud: [resourceOf(slug), 'https://other/mcp'] }),
    );
  });

  it('rejects a token from another issuer', async () => {
    await expectInvalidToken(await mintToken(slug, { iss: 'https://evil.example' }));
  });

  it('rejects an expired token beyond the 30 s leeway and accepts one within it', async () => {
    await expectInvalidToken(await mintToken(slug, { expiresIn: -120 }));
    const res = await mcpFetch(slug, INITIALIZE_REQUEST, {
      token: await mintToken(slug, { expiresIn: -5 }),
    });
    expect(res.status).toBe(200);
    await res.text();
  });

  it('rejects a token that is not yet valid (nbf)', async () => {
    await expectInvalidToken(await mintToken(slug, { notBefore: 600 }));
  });

  it('rejects a JWT whose typ is not at+jwt (e.g. an ID token)', async () => {
    await expectInvalidToken(await mintToken(slug, { typ: 'JWT' }));
  });

  it('refuses a token minted for a deleted server once its slug names another server', async () => {
    const reused = uniqueSlug('reused');
    const first = await publishServer(weatherSpec(reused));
    const oldToken = await mintToken(reused);
    // The AS deletes server A (cascading to its versions), freeing the slug; another org takes it.
    await env.DB.prepare('DELETE FROM servers WHERE id = ?').bind(first.id).run();
    const second = await publishServer(weatherSpec(reused));
    expect(second.orgId).not.toBe(first.orgId);
    const res = await mcpFetch(reused, INITIALIZE_REQUEST, { token: oldToken });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${reused}/mcp", error="invalid_token", error_description="The access token is not valid for this server", scope="mcp:read"`,
    );
    // A token the AS mints for the new server works.
    const fresh = await mcpFetch(reused, INITIALIZE_REQUEST, { token: await mintToken(reused) });
    expect(fresh.status).toBe(200);
    await fresh.text();
  });

  it('rejects a token without server_id, or naming another server at this URL', async () => {
    await expectInvalidToken(await mintToken(slug, { omit: ['server_id'] }));
    await expectInvalidToken(await mintToken(slug, { serverId: 'srv_someone_else' }));
  });

  it('rejects a token issued in the future (revocation rules compare iat)', async () => {
    await expectInvalidToken(await mintToken(slug, { issuedAt: 600 }));
  });

  it('rejects a token without client_id or jti', async () => {
    await expectInvalidToken(await mintToken(slug, { omit: ['client_id'] }));
    await expectInvalidToken(await mintToken(slug, { omit: ['jti'] }));
  });

  it('rejects a bad signature', async () => {
    const token = await mintToken(slug);
    const [h, p, s] = token.split('.');
    const flipped = `${s!.slice(0, -2)}${s!.endsWith('AA') ? 'BB' : 'AA'}`;
    await expectInvalidToken(`${h}.${p}.${flipped}`);
  });

  it('rejects HS256 even when keyed with the public key (alg confusion)', async () => {
    const pub = publicJwk();
    const secret = new TextEncoder().encode(JSON.stringify(pub));
    const token = await new SignJWT({
      iss: env.ISSUER,
      sub: 'usr_alice',
      aud: resourceOf(slug),
      client_id: 'cl_test',
      scope: 'mcp:read',
      jti: 'x',
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: pub.kid })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);
    await expectInvalidToken(token);
  });

  it('rejects alg none', async () => {
    const b64 = (o: unknown) =>
      btoa(JSON.stringify(o)).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_');
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: 'test-key-1' })}.${b64({
      iss: env.ISSUER,
      sub: 'usr_alice',
      aud: resourceOf(slug),
      client_id: 'cl_test',
      jti: 'x',
      iat: now,
      exp: now + 60,
    })}.`;
    await expectInvalidToken(token);
  });

  it('rejects a token signed by a key the JWKS does not hold, after refetching it', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const stranger = { ...(await exportJWK(privateKey)), kid: 'stranger' };
    await expectInvalidToken(await mintToken(slug, { key: stranger, kid: 'stranger' }));
  });

  it('picks up a key published after its JWKS was cached (one refetch on unknown kid)', async () => {
    // Warm the isolate's cache with the current set.
    const warm = await mcpFetch(slug, INITIALIZE_REQUEST, { token: await mintToken(slug) });
    expect(warm.status).toBe(200);
    await warm.text();
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const next = { ...(await exportJWK(privateKey)), kid: `next-${crypto.randomUUID()}` };
    await publishTestJwks([publicJwk(next)]);
    const res = await mcpFetch(slug, INITIALIZE_REQUEST, {
      token: await mintToken(slug, { key: next, kid: next.kid }),
    });
    expect(res.status).toBe(200);
    await res.text();
  });

  it('answers a malformed Authorization header as invalid_token', async () => {
    const res = await mcpFetch(slug, INITIALIZE_REQUEST, {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('checks the token before telling anything about the session', async () => {
    const res = await mcpFetch(
      slug,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      {
        sessionId: 'a'.repeat(32),
      },
    );
    expect(res.status).toBe(401);
  });
});
