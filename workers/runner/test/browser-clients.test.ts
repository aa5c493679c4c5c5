// Browser MCP clients (DESIGN §9): CORS before the bearer check, the per-server Origin policy,
// readable challenges, and step-up challenges that keep the scopes a token already has.
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_HEADERS } from '../src/cors';
import { initialize, mcpFetch, INITIALIZE_REQUEST } from './support/mcp';
import {
  addCityTool,
  publishNewVersion,
  publishServer,
  uniqueSlug,
  weatherSpec,
} from './support/servers';
import { mintToken } from './support/tokens';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

const preflight = (slug: string, origin: string, path = `/${slug}/mcp`) =>
  exports.default.fetch(`${env.RUNNER_ORIGIN}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
    },
  });

let slug: string;

beforeAll(async () => {
  slug = uniqueSlug('browser');
  const spec = weatherSpec(slug, { allowedOrigins: [APP] });
  spec.tools.push(addCityTool('browser_add_city'));
  await publishServer(spec);
});

describe('CORS preflight on /{slug}/mcp', () => {
  it('answers an allowed origin with 204 before any bearer check, naming methods and MCP headers', async () => {
    const res = await preflight(slug, APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, DELETE');
    expect(res.headers.get('access-control-allow-headers')).toBe(ALLOWED_HEADERS);
    for (const h of [
      'Authorization',
      'Mcp-Session-Id',
      'Mcp-Method',
      'Mcp-Name',
      'Last-Event-ID',
    ]) {
      expect(ALLOWED_HEADERS).toContain(h);
    }
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  it("answers the dashboard's own origin on every server, with no list needed", async () => {
    const other = uniqueSlug('browser-plain');
    await publishServer(weatherSpec(other));
    const res = await preflight(other, new URL(env.ISSUER).origin);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(new URL(env.ISSUER).origin);
  });

  it('refuses another origin with 403 and no CORS header, so the browser stops there', async () => {
    const res = await preflight(slug, EVIL);
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.json()).toMatchObject({ error: { message: 'Forbidden: Origin not allowed' } });
  });

  it('answers 404 for an unknown server', async () => {
    const res = await preflight('no-such-server', APP);
    expect(res.status).toBe(404);
  });
});

describe('Origin policy on MCP requests', () => {
  it('lets an allowed origin read the 401 challenge, which carries the scope to ask for', async () => {
    const res = await mcpFetch(slug, INITIALIZE_REQUEST, { headers: { origin: APP } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toBe(
      'Mcp-Session-Id, WWW-Authenticate',
    );
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${slug}/mcp", scope="mcp:read mcp:write"`,
    );
  });

  it('serves an allowed origin and exposes the session id', async () => {
    const token = await mintToken(slug);
    const res = await mcpFetch(slug, INITIALIZE_REQUEST, { token, headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toContain('Mcp-Session-Id');
    expect(res.headers.get('mcp-session-id')).toMatch(/^[a-z2-7]{32}$/);
    await res.text();
  });

  it('refuses another origin with 403 even with a valid token, without CORS headers', async () => {
    const token = await mintToken(slug);
    const res = await mcpFetch(slug, INITIALIZE_REQUEST, { token, headers: { origin: EVIL } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.json()).toMatchObject({ error: { message: 'Forbidden: Origin not allowed' } });
  });

  it('leaves requests without Origin unaffected: no CORS headers, served as before', async () => {
    const token = await mintToken(slug);
    const res = await mcpFetch(slug, INITIALIZE_REQUEST, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await res.text();
  });

  it('applies a changed list once the server cache revalidates', async () => {
    const s = uniqueSlug('browser-change');
    const seeded = await publishServer(weatherSpec(s));
    expect((await preflight(s, APP)).status).toBe(403);
    await publishNewVersion(seeded, weatherSpec(s, { allowedOrigins: [APP] }));
    expect((await preflight(s, APP)).status).toBe(204); // SERVER_REVALIDATE_MS is 0 in tests
    await publishNewVersion(seeded, weatherSpec(s, { allowedOrigins: [] }));
    expect((await preflight(s, APP)).status).toBe(403);
  });
});

describe('step-up challenge (MCP 2025-11-25 authorization §Scope challenge handling)', () => {
  it("names the token's current scopes plus the missing one, so a re-authorization keeps mcp:read", async () => {
    const token = await mintToken(slug, { scope: 'mcp:read' });
    const sessionId = await initialize(slug, token);
    const res = await mcpFetch(
      slug,
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'add_city', arguments: {} } },
      { token, sessionId, headers: { origin: APP } },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${slug}/mcp", error="insufficient_scope", error_description="tool add_city requires mcp:write", scope="mcp:read mcp:write"`,
    );
  });
});

describe('protected resource metadata for browsers (RFC 9728)', () => {
  it('answers OPTIONS at both metadata URLs for any origin', async () => {
    for (const path of [
      `/.well-known/oauth-protected-resource/${slug}/mcp`,
      `/${slug}/.well-known/oauth-protected-resource`,
    ]) {
      const res = await preflight(slug, EVIL, path);
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-headers')).toContain('Mcp-Protocol-Version');
    }
  });

  it('explains at the root form that each server has its own metadata, readable cross-origin', async () => {
    const res = await exports.default.fetch(
      `${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource`,
    );
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    const options = await preflight(slug, EVIL, '/.well-known/oauth-protected-resource');
    expect(options.status).toBe(204);
  });
});
