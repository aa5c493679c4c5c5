// Toolsets (issue 14): `{RUNNER_ORIGIN}/{slug}/{toolset}/mcp` serves the server narrowed to the
// toolset, in both eras, as a protected resource of its own — its own PRM (RFC 9728 §3.1), its
// own audience (RFC 8707): a token is good at exactly the URL it was issued for.
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  callTool,
  initialize,
  INITIALIZE_REQUEST,
  mcpFetch,
  modernFetch,
  responseOf,
  rpc,
} from './support/mcp';
import {
  addCityTool,
  publishNewVersion,
  publishServer,
  uniqueSlug,
  weatherSpec,
  type Seeded,
} from './support/servers';
import { mintToken } from './support/tokens';

let slug: string;
let server: Seeded;
const url = (path: string) => `${env.RUNNER_ORIGIN}/${path}/mcp`;
const prmOf = (path: string) =>
  `${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${path}/mcp`;

/** A token whose `aud` is the URL at `path` (`slug` or `slug/toolset`), for this server. */
const tokenFor = (path: string, scope = 'mcp:read mcp:write mcp:admin', sub = 'usr_alice') =>
  mintToken(slug, { aud: url(path), serverId: server.id, scope, sub });

const toolNames = (msg: { result?: Record<string, unknown> }) =>
  (msg.result?.tools as { name: string }[]).map((t) => t.name);

beforeAll(async () => {
  slug = uniqueSlug('toolsets');
  const spec = weatherSpec(slug, {
    prompts: [{ name: 'plan_trip', messages: [{ role: 'user', text: 'Plan a trip' }] }],
    toolsets: [
      {
        name: 'forecasts',
        title: 'Forecasts',
        description: 'Only the forecast',
        tools: ['get_forecast'],
        prompts: ['plan_trip'],
      },
      { name: 'cities', tools: ['add_city'] },
    ],
  });
  spec.tools.push(addCityTool('toolsets_add_city'));
  server = await publishServer(spec);
});

describe('a toolset URL', () => {
  it('lists only its tools and gives its description as instructions in a 2025 session', async () => {
    const token = await tokenFor(`${slug}/forecasts`);
    const init = await mcpFetch(`${slug}/forecasts`, INITIALIZE_REQUEST, { token });
    expect(init.status).toBe(200);
    const result = (await responseOf(init.clone())).result;
    expect(result?.instructions).toBe('Only the forecast');
    expect(result?.serverInfo).toMatchObject({ name: 'Weather · Forecasts' });

    const sessionId = await initialize(`${slug}/forecasts`, token);
    const { message } = await rpc(`${slug}/forecasts`, token, sessionId, 'tools/list');
    expect(toolNames(message)).toEqual(['get_forecast']);
    const prompts = await rpc(`${slug}/forecasts`, token, sessionId, 'prompts/list');
    expect((prompts.message.result?.prompts as { name: string }[]).map((p) => p.name)).toEqual([
      'plan_trip',
    ]);
  });

  it('lists only its tools in the 2026-07-28 era', async () => {
    const token = await tokenFor(`${slug}/cities`);
    const msg = await responseOf(await modernFetch(`${slug}/cities`, 'tools/list', {}, { token }));
    expect(toolNames(msg)).toEqual(['add_city']);
    const full = await responseOf(
      await modernFetch(slug, 'tools/list', {}, { token: await tokenFor(slug) }),
    );
    expect(toolNames(full)).toEqual(['get_forecast', 'add_city']);
  });

  it('does not call a tool of the server that is outside the toolset', async () => {
    const token = await tokenFor(`${slug}/cities`);
    const sessionId = await initialize(`${slug}/cities`, token);
    const { message } = await callTool(`${slug}/cities`, token, sessionId, 'get_forecast', {
      city: 'Oslo',
    });
    expect(message.error?.message ?? JSON.stringify(message.result)).toMatch(/Unknown tool/);
  });

  it('answers 404 JSON for a toolset the server does not have, at the endpoint and the PRM', async () => {
    for (const [path, method] of [
      [`/${slug}/billing/mcp`, 'POST'],
      [`/.well-known/oauth-protected-resource/${slug}/billing/mcp`, 'GET'],
      [`/${slug}/billing/.well-known/oauth-protected-resource`, 'GET'],
      [`/no-such-server/forecasts/mcp`, 'POST'],
    ] as const) {
      const res = await exports.default.fetch(`${env.RUNNER_ORIGIN}${path}`, { method });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({
        error: { code: 'not_found', message: 'No MCP server at this URL.' },
      });
    }
  });
});

describe('toolset protected resource metadata (RFC 9728)', () => {
  it('names the toolset URL as the resource and only its tools scopes, at both locations', async () => {
    for (const path of [
      `/.well-known/oauth-protected-resource/${slug}/cities/mcp`,
      `/${slug}/cities/.well-known/oauth-protected-resource`,
    ]) {
      const res = await exports.default.fetch(`${env.RUNNER_ORIGIN}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        resource: url(`${slug}/cities`),
        authorization_servers: [env.ISSUER],
        bearer_methods_supported: ['header'],
        scopes_supported: ['mcp:write'],
        resource_name: 'Weather · cities',
      });
    }
  });

  it("points a 401 at the toolset's own metadata with the toolset's scopes", async () => {
    const res = await mcpFetch(`${slug}/forecasts`, INITIALIZE_REQUEST);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${prmOf(`${slug}/forecasts`)}", scope="mcp:read"`,
    );
  });
});

describe('toolset audiences (RFC 8707)', () => {
  const refused = async (tokenPath: string, at: string) => {
    const res = await mcpFetch(at, INITIALIZE_REQUEST, { token: await tokenFor(tokenPath) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(`resource_metadata="${prmOf(at)}"`);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  };

  it("refuses a toolset's token at another toolset", () =>
    refused(`${slug}/forecasts`, `${slug}/cities`));
  it("refuses a toolset's token at the full server", () => refused(`${slug}/forecasts`, slug));
  it("refuses the other toolset's token, the reverse", () =>
    refused(`${slug}/cities`, `${slug}/forecasts`));
  it("refuses the full server's token at a toolset", () => refused(slug, `${slug}/forecasts`));

  it("accepts a toolset's token at its own URL", async () => {
    const res = await mcpFetch(`${slug}/forecasts`, INITIALIZE_REQUEST, {
      token: await tokenFor(`${slug}/forecasts`),
    });
    expect(res.status).toBe(200);
  });
});

describe('toolset sessions', () => {
  it("does not serve a toolset's session id at another URL of the server, even to its principal", async () => {
    const sessionId = await initialize(`${slug}/forecasts`, await tokenFor(`${slug}/forecasts`));
    for (const path of [`${slug}/cities`, slug]) {
      const { res } = await rpc(path, await tokenFor(path), sessionId, 'tools/list');
      expect(res.status, path).toBe(404);
    }
    const again = await rpc(
      `${slug}/forecasts`,
      await tokenFor(`${slug}/forecasts`),
      sessionId,
      'tools/list',
    );
    expect(toolNames(again.message)).toEqual(['get_forecast']);
  });

  it("names the toolset's metadata in a step-up challenge", async () => {
    const token = await tokenFor(`${slug}/cities`, 'mcp:read');
    const sessionId = await initialize(`${slug}/cities`, token);
    const { res } = await callTool(`${slug}/cities`, token, sessionId, 'add_city', { city: 'x' });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain(
      `resource_metadata="${prmOf(`${slug}/cities`)}", error="insufficient_scope"`,
    );
  });
});

describe('a toolset over time', () => {
  it("refuses a toolset's token once the server's tokens are revoked (rules match the server id)", async () => {
    const token = await mintToken(slug, {
      aud: url(`${slug}/forecasts`),
      serverId: server.id,
      sub: 'usr_revoked',
      issuedAt: -5,
    });
    const init = () => mcpFetch(`${slug}/forecasts`, INITIALIZE_REQUEST, { token });
    expect((await init()).status).toBe(200);
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO token_revocations
         (server_id, org_id, sub, client_id, grant_id, issued_before, expires_at, reason, created_at)
       VALUES (?, NULL, ?, NULL, NULL, ?, ?, 'grant_revoked', ?)`,
    )
      .bind(server.id, 'usr_revoked', now, now + 3_660_000, now)
      .run();
    await new Promise((r) => setTimeout(r, Number(env.REVOCATION_MAX_STALE_SECONDS) * 1000 + 300));
    const res = await init();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers 404 at a toolset the newest published version no longer has', async () => {
    const gone = uniqueSlug('toolsets-gone');
    const spec = weatherSpec(gone, { toolsets: [{ name: 'forecasts', tools: ['get_forecast'] }] });
    const s = await publishServer(spec);
    const token = await mintToken(gone, { aud: url(`${gone}/forecasts`), serverId: s.id });
    expect((await mcpFetch(`${gone}/forecasts`, INITIALIZE_REQUEST, { token })).status).toBe(200);
    await publishNewVersion(s, weatherSpec(gone));
    const res = await mcpFetch(`${gone}/forecasts`, INITIALIZE_REQUEST, { token });
    expect(res.status).toBe(404);
  });
});
