import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ServerSpecSchema } from '../../../lib/spec/server-spec';
import {
  createServerStatements,
  deleteServerStatement,
  findServerById,
  findServerBySlug,
  getPublishedSpec,
  getVersion,
  publishVersionStatements,
  switchVersionStatement,
  versionSwitched,
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
        replaces: 1,
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

  it('publishes nothing in place of a version that was replaced meanwhile (compare-and-set)', async () => {
    await seedOrg('org_cas');
    const now = Date.now();
    const s = { ...spec, slug: 'store-cas' };
    await env.DB.batch(
      createServerStatements(env.DB, {
        id: 'srv_cas',
        orgId: 'org_cas',
        spec: s,
        createdBy: 'u',
        now,
      }),
    );
    const publish = (version: number, name: string) =>
      env.DB.batch(
        publishVersionStatements(env.DB, {
          serverId: 'srv_cas',
          version,
          replaces: 1,
          spec: { ...s, name },
          createdBy: 'u',
          now,
        }),
      );
    expect(versionSwitched((await publish(2, 'Second')).at(-1))).toBe(true);
    // Computed from version 1 too, but version 2 is current now: nothing changes.
    expect(versionSwitched((await publish(3, 'Stale')).at(-1))).toBe(false);
    expect(await getPublishedSpec(env.DB, 'srv_cas')).toMatchObject({
      version: 2,
      spec: { name: 'Second' },
    });
    expect(await getVersion(env.DB, 'srv_cas', 3)).toBeUndefined();
  });

  it("switches back only from the version it replaces, restoring that version's visibility", async () => {
    await seedOrg('org_sw');
    const now = Date.now();
    const s = { ...spec, slug: 'store-sw' };
    await env.DB.batch(
      createServerStatements(env.DB, {
        id: 'srv_sw',
        orgId: 'org_sw',
        spec: s,
        createdBy: 'u',
        now,
      }),
    );
    await env.DB.batch(
      publishVersionStatements(env.DB, {
        serverId: 'srv_sw',
        version: 2,
        replaces: 1,
        spec: { ...s, visibility: 'public' },
        createdBy: 'u',
        now,
      }),
    );
    const back = (from: number) =>
      switchVersionStatement(env.DB, { serverId: 'srv_sw', from, to: 1, spec: s, now }).run();
    expect(versionSwitched(await back(3))).toBe(false);
    expect(await findServerById(env.DB, 'srv_sw')).toMatchObject({
      currentVersion: 2,
      visibility: 'public',
    });
    expect(versionSwitched(await back(2))).toBe(true);
    expect(await findServerById(env.DB, 'srv_sw')).toMatchObject({
      currentVersion: 1,
      visibility: 'private',
    });
  });
});
