import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ServerSpecSchema } from '../../../lib/spec/server-spec';
import {
  createServerStatements,
  deleteServerStatement,
  findServerById,
  findServerBySlug,
  getPublishedSpec,
  publishVersionStatements,
} from '../src/store/servers';

const spec = ServerSpecSchema.parse({
  name: 'Store test',
  slug: 'store-test',
  egress: ['api.example.com'],
  tools: [
    {
      name: 'ping',
      description: 'Ping',
      inputSchema: { type: 'object' },
      http: { method: 'GET', url: 'https://api.example.com/ping' },
    },
  ],
});

async function seedOrg(id: string) {
  await env.DB.prepare(
    'INSERT INTO orgs (id, name, personal, plan, created_at) VALUES (?, ?, 0, ?, ?)',
  )
    .bind(id, 'Org', 'free', Date.now())
    .run();
}

describe('store/servers', () => {
  it('finds a created server by slug and id and serves the newest published spec', async () => {
    await seedOrg('org_store');
    const now = Date.now();
    await env.DB.batch(
      createServerStatements(env.DB, {
        id: 'srv_store',
        orgId: 'org_store',
        spec,
        createdBy: 'usr_x',
        now,
      }),
    );
    expect(await findServerBySlug(env.DB, 'store-test')).toMatchObject({
      id: 'srv_store',
      currentVersion: 1,
    });
    expect((await getPublishedSpec(env.DB, 'srv_store'))?.version).toBe(1);

    const v2 = { ...spec, name: 'Store test v2' };
    await env.DB.batch(
      publishVersionStatements(env.DB, {
        serverId: 'srv_store',
        version: 2,
        spec: v2,
        createdBy: 'usr_x',
        now,
      }),
    );
    expect(await getPublishedSpec(env.DB, 'srv_store')).toMatchObject({
      version: 2,
      spec: { name: 'Store test v2' },
    });
    expect((await findServerById(env.DB, 'srv_store'))?.name).toBe('Store test v2');

    await deleteServerStatement(env.DB, 'srv_store').run();
    expect(await findServerBySlug(env.DB, 'store-test')).toBeUndefined();
    expect(await getPublishedSpec(env.DB, 'srv_store')).toBeUndefined();
  });
});
