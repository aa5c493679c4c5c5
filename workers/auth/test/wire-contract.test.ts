// The /v1 wire contract (lib/api) holds for every answer the dashboard and the CLI read, on an
// account that has one of everything; and the contract check itself refuses drift.
import { describe, expect, it } from 'vitest';
import { ServerSummarySchema } from '../../../lib/api/servers';
import { api, createApiKey, signUp } from './support/accounts';
import { contractFor, expectShape } from './support/contract';
import { createServer } from './support/servers';

describe('the /v1 wire contract', () => {
  it('matches every GET answer of an account with a server, a secret, a key and an invite', async () => {
    const alice = await signUp();
    const { key } = await createApiKey(alice);
    const server = await createServer(alice);
    const put = await api(`/v1/servers/${server.id}/secrets/API_KEY`, {
      as: alice,
      method: 'PUT',
      body: { value: 'sk-test-value' },
    });
    expect(put.status).toBe(200);
    const invited = await api('/v1/me/org/invites', {
      as: alice,
      body: { email: 'bob@example.test' },
    });
    expect(invited.status).toBe(201);

    const paths = [
      '/v1/me',
      '/v1/me/org',
      '/v1/me/grants',
      '/v1/api-keys',
      '/v1/clients',
      '/v1/servers',
      `/v1/servers/${server.id}`,
      `/v1/servers/${server.id}/versions`,
      `/v1/servers/${server.id}/versions/1`,
      `/v1/servers/${server.id}/secrets`,
      `/v1/servers/${server.id}/grants`,
      `/v1/servers/${server.id}/builds`,
      '/v1/audit',
      '/v1/slugs/free-slug-for-contract',
      `/v1/slugs/${server.slug}`,
    ];
    for (const path of paths) {
      for (const auth of [{ as: alice }, { key }]) {
        const res = await api(path, auth);
        expect(res.status, path).toBe(200);
        // api() already parsed it; parse again here so this test cannot pass on a missing route.
        expectShape(contractFor('GET', path, 200)!, await res.json());
      }
    }
  });

  it('answers failures with the error envelope and a snake_case code', async () => {
    const alice = await signUp();
    const res = await api('/v1/servers/srv_nope', { as: alice });
    expect(res.status).toBe(404);
    const body = expectShape(contractFor('GET', '/v1/servers/srv_nope', 404)!, await res.json());
    expect(body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('refuses an answer with a field the contract does not name, or without one it does', () => {
    const server = {
      id: 'srv_1',
      orgId: 'org_1',
      slug: 'weather',
      name: 'Weather',
      description: null,
      visibility: 'private',
      url: 'http://127.0.0.1:8788/weather/mcp',
      version: 1,
      createdBy: 'usr_1',
      createdAt: 1_764_633_600_000,
      updatedAt: 1_764_633_600_000,
    };
    expect(ServerSummarySchema.safeParse(server).success).toBe(true);
    expect(ServerSummarySchema.safeParse({ ...server, status: 'live' }).success).toBe(false);
    const { updatedAt: _dropped, ...missing } = server;
    expect(ServerSummarySchema.safeParse(missing).success).toBe(false);
    // Times are epoch milliseconds: an ISO string is drift.
    expect(
      ServerSummarySchema.safeParse({ ...server, createdAt: '2026-12-02T00:00:00Z' }).success,
    ).toBe(false);
  });
});
