// The runner's half of connection health and the connection recorder (docs/observability.md):
// written after the response, so the tests wait for the rows.
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { INITIALIZE_REQUEST, mcpFetch } from './support/mcp';
import { mintToken } from './support/tokens';
import { publishServer, uniqueSlug, weatherSpec, type Seeded } from './support/servers';

let server: Seeded;

beforeAll(async () => {
  server = await publishServer(weatherSpec(uniqueSlug('telemetry')));
});

type HealthRow = {
  last_used_at: number | null;
  last_401_at: number | null;
  last_401_reason: string | null;
  recent_401_count: number;
  last_403_at: number | null;
  last_403_scope: string | null;
};

const health = (clientId: string) =>
  env.DB.prepare('SELECT * FROM client_health WHERE server_id = ? AND client_id = ?')
    .bind(server.id, clientId)
    .first<HealthRow>();

const events = (where: string, ...args: unknown[]) =>
  env.DB.prepare(`SELECT * FROM connection_events WHERE server_id = ? AND ${where} ORDER BY at`)
    .bind(server.id, ...args)
    .all<{ step: string; ok: number; detail: string; client_id: string; grant_id: string | null }>()
    .then((r) => r.results);

describe('connection telemetry at the runner', () => {
  it('records an expired token’s 401 against its client, with the reason', async () => {
    const clientId = `cl_expired_${crypto.randomUUID()}`;
    const token = await mintToken(server.slug, { clientId, issuedAt: -7200, expiresIn: -3600 });
    const res = await mcpFetch(server.slug, INITIALIZE_REQUEST, { token });
    expect(res.status).toBe(401);
    const row = await vi.waitFor(async () => {
      const r = await health(clientId);
      if (!r?.last_401_at) throw new Error('not yet');
      return r;
    });
    expect(row).toMatchObject({ last_401_reason: 'expired', recent_401_count: 1 });
  });

  it('counts repeated 401s and resets the count on the next accepted request', async () => {
    const clientId = `cl_repeat_${crypto.randomUUID()}`;
    const expired = await mintToken(server.slug, { clientId, issuedAt: -7200, expiresIn: -3600 });
    for (let i = 0; i < 3; i++) {
      await (await mcpFetch(server.slug, INITIALIZE_REQUEST, { token: expired })).text();
    }
    await vi.waitFor(async () => expect((await health(clientId))?.recent_401_count).toBe(3));
    const good = await mintToken(server.slug, { clientId, jti: `gr_${crypto.randomUUID()}.x` });
    await (await mcpFetch(server.slug, INITIALIZE_REQUEST, { token: good })).text();
    await vi.waitFor(async () => {
      const r = await health(clientId);
      expect(r?.last_used_at).toBeTypeOf('number');
      expect(r?.recent_401_count).toBe(0);
    });
  });

  it('records nothing for a token whose signature does not verify (no trustworthy client)', async () => {
    const clientId = `cl_forged_${crypto.randomUUID()}`;
    const token = await mintToken(server.slug, { clientId });
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await mcpFetch(server.slug, INITIALIZE_REQUEST, { token: forged })).status).toBe(401);
    // A later write for another client proves the background writes ran.
    const marker = `cl_marker_${crypto.randomUUID()}`;
    const expired = await mintToken(server.slug, {
      clientId: marker,
      expiresIn: -3600,
      issuedAt: -7200,
    });
    await (await mcpFetch(server.slug, INITIALIZE_REQUEST, { token: expired })).text();
    await vi.waitFor(async () => expect(await health(marker)).not.toBeNull());
    expect(await health(clientId)).toBeNull();
  });

  it('records a 403 for a missing scope with the scope the call needed', async () => {
    const clientId = `cl_scope_${crypto.randomUUID()}`;
    const token = await mintToken(server.slug, { clientId, scope: 'mcp:write' });
    const res = await mcpFetch(
      server.slug,
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'get_forecast', arguments: { city: 'Paris' } },
      },
      { token },
    );
    expect(res.status).toBe(403);
    const row = await vi.waitFor(async () => {
      const r = await health(clientId);
      if (!r?.last_403_at) throw new Error('not yet');
      return r;
    });
    expect(row.last_403_scope).toBe('mcp:read');
  });

  it('records the first request of a new grant once, with its grant id', async () => {
    const clientId = `cl_first_${crypto.randomUUID()}`;
    const grantId = `gr_${crypto.randomUUID().replace(/-/g, '')}`;
    for (let i = 0; i < 2; i++) {
      const token = await mintToken(server.slug, { clientId, jti: `${grantId}.${i}` });
      await (await mcpFetch(server.slug, INITIALIZE_REQUEST, { token })).text();
    }
    const rows = await vi.waitFor(async () => {
      const r = await events('client_id = ?', clientId);
      if (r.length === 0) throw new Error('not yet');
      return r;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await events('client_id = ?', clientId)).toHaveLength(1);
    expect(rows[0]).toMatchObject({ step: 'mcp_request', ok: 1, grant_id: grantId });
  });

  it('records discovery: the 401 without a token and the PRM fetch, without any address', async () => {
    const ua = `telemetry-test/${crypto.randomUUID()}`;
    await (
      await mcpFetch(server.slug, INITIALIZE_REQUEST, { headers: { 'user-agent': ua } })
    ).text();
    await (
      await exports.default.fetch(
        `${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${server.slug}/mcp`,
        { headers: { 'user-agent': ua } },
      )
    ).text();
    const rows = await vi.waitFor(async () => {
      const r = await events(`step = 'discovery' AND detail LIKE ?`, '%');
      const mine = r.filter((e) => e.detail.includes('protected_resource_metadata'));
      if (mine.length === 0 || !r.some((e) => e.detail.includes('unauthenticated_401'))) {
        throw new Error('not yet');
      }
      return r;
    });
    for (const r of rows) expect(r.detail).not.toContain(ua);
  });
});
