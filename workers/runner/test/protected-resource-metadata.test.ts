import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { resolveServer } from '../src/server-cache';
import { publishNewVersion, publishServer, uniqueSlug, weatherSpec } from './support/servers';
import { mintToken } from './support/tokens';
import { mcpFetch } from './support/mcp';

describe('protected resource metadata (RFC 9728)', () => {
  it('is served at the path-inserted and the resource-relative location', async () => {
    const slug = uniqueSlug('prm');
    const spec = weatherSpec(slug);
    spec.tools.push({
      ...spec.tools[0]!,
      name: 'delete_city',
      annotations: { destructiveHint: true },
    });
    await publishServer(spec);
    const expected = {
      resource: `${env.RUNNER_ORIGIN}/${slug}/mcp`,
      authorization_servers: [env.ISSUER],
      bearer_methods_supported: ['header'],
      scopes_supported: ['mcp:admin', 'mcp:read'],
      resource_name: 'Weather',
    };
    for (const path of [
      `/.well-known/oauth-protected-resource/${slug}/mcp`,
      `/${slug}/.well-known/oauth-protected-resource`,
    ]) {
      const res = await exports.default.fetch(`${env.RUNNER_ORIGIN}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.json()).toEqual(expected);
    }
  });

  it('answers 404 JSON for an unknown slug at every runner path', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/no-such-server/mcp',
      '/no-such-server/.well-known/oauth-protected-resource',
      '/no-such-server/mcp',
    ]) {
      const res = await exports.default.fetch(`${env.RUNNER_ORIGIN}${path}`, {
        method: path.endsWith('/mcp') && !path.startsWith('/.well') ? 'POST' : 'GET',
      });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: { code: 'not_found', message: 'No MCP server at this URL.' },
      });
    }
  });

  it('answers 404 once the server is deleted', async () => {
    const slug = uniqueSlug('deleted');
    const server = await publishServer(weatherSpec(slug));
    const token = await mintToken(slug);
    await env.DB.prepare('DELETE FROM servers WHERE id = ?').bind(server.id).run();
    const res = await mcpFetch(slug, { jsonrpc: '2.0', id: 1, method: 'ping' }, { token });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('slug resolution cache', () => {
  it('serves the cached version until revalidation, then the newly published one', async () => {
    const slug = uniqueSlug('cache');
    const server = await publishServer(weatherSpec(slug));
    const cached = { ...env, SERVER_REVALIDATE_MS: '5000' };
    const t0 = 1_000_000_000_000;
    expect((await resolveServer(cached, slug, t0))?.version).toBe(1);
    await publishNewVersion(server, weatherSpec(slug, { name: 'Weather 2' }));
    expect((await resolveServer(cached, slug, t0 + 1000))?.version).toBe(1);
    const fresh = await resolveServer(cached, slug, t0 + 6000);
    expect(fresh).toMatchObject({ version: 2, spec: { name: 'Weather 2' } });
  });
});
