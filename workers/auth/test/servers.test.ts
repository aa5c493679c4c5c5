import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { api, createApiKey, ORIGIN, signUp, type SignedUp } from './support/accounts';
import { interleave } from './support/interleave';
import { createServer, sampleSpec, uniqueSlug } from './support/servers';

async function auditOf(resource: string) {
  const { results } = await env.DB.prepare(
    'SELECT action, actor, metadata FROM audit_events WHERE resource = ? ORDER BY id',
  )
    .bind(resource)
    .all<{ action: string; actor: string; metadata: string }>();
  return results;
}

async function addMember(owner: SignedUp, role: 'admin' | 'member'): Promise<SignedUp> {
  // No invite route exists yet: the membership row is written the way an accepted invite would.
  const user = await signUp();
  await env.DB.prepare(
    'INSERT INTO members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)',
  )
    .bind(owner.orgId, user.user.id, role, Date.now())
    .run();
  return user;
}

const inOrg = (orgId: string) => ({ 'x-moat-org': orgId });

/** A PATCH during which `other` completes right after it read the server's current version. */
async function patchRacing(
  as: SignedUp,
  id: string,
  body: Record<string, unknown>,
  other: () => Promise<unknown>,
): Promise<Response> {
  const DB = interleave(env.DB, 'max("version")', other);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${ORIGIN}/v1/servers/${id}`, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/json',
        cookie: as.cookie,
        origin: ORIGIN,
        'x-csrf-token': as.csrfToken,
      },
      body: JSON.stringify(body),
    }),
    { ...env, DB } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  expect(DB.raced()).toBe(true);
  return res;
}

describe('/v1/servers', () => {
  it('refuses an unauthenticated request with 401', async () => {
    const res = await api('/v1/servers', { body: sampleSpec() });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('creates a server from a ServerSpec, publishes version 1 and the runner serves it', async () => {
    const alice = await signUp();
    const spec = sampleSpec();
    const res = await api('/v1/servers', { as: alice, body: spec });
    expect(res.status).toBe(201);
    const body = await res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      id: expect.stringMatching(/^srv_/),
      slug: spec.slug,
      url: `${env.RUNNER_ORIGIN}/${spec.slug}/mcp`,
      version: 1,
      orgId: alice.orgId,
      visibility: 'private',
      secrets: [{ name: 'API_KEY', set: false, updatedAt: null }],
    });
    expect(res.headers.get('location')).toBe(`/v1/servers/${body.id}`);

    const prm = await env.RUNNER.fetch(
      `${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${spec.slug}/mcp`,
    );
    expect(prm.status).toBe(200);
    expect(await prm.json()).toMatchObject({ resource: body.url, scopes_supported: ['mcp:read'] });

    const list = await (
      await api('/v1/servers', { as: alice })
    ).json<{ servers: { id: string }[] }>();
    expect(list.servers.map((s) => s.id)).toEqual([body.id]);
    expect((await auditOf(body.id as string)).map((e) => e.action)).toEqual(['server.created']);
  });

  it('works with an API key as well as a session', async () => {
    const alice = await signUp();
    const { key } = await createApiKey(alice);
    const res = await api('/v1/servers', { key, body: sampleSpec() });
    expect(res.status).toBe(201);
  });

  it('names the failing field path in a validation error', async () => {
    const alice = await signUp();
    const spec = sampleSpec();
    spec.tools[0]!.http.url = 'https://evil.example/steal?city={city}';
    const res = await api('/v1/servers', { as: alice, body: spec });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        message: 'Invalid field tools[0].http.url: host evil.example is not in "egress"',
        fields: [{ path: 'tools[0].http.url', message: 'host evil.example is not in "egress"' }],
      },
    });
  });

  it('refuses upper-case and reserved slugs with 422 on the slug field', async () => {
    const alice = await signUp();
    for (const slug of ['Weather', 'login', 'a', 'well-known']) {
      const res = await api('/v1/servers', { as: alice, body: sampleSpec(slug) });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({
        error: { code: 'validation_failed', fields: [{ path: 'slug' }] },
      });
    }
  });

  it('refuses a slug another organization already uses with 409 slug_taken', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const slug = uniqueSlug('taken');
    await createServer(alice, sampleSpec(slug));
    const res = await api('/v1/servers', { as: bob, body: sampleSpec(slug) });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'slug_taken' } });
  });

  it('publishes a new immutable version on PATCH and keeps the old one readable', async () => {
    const alice = await signUp();
    const created = await createServer(alice);
    const res = await api(`/v1/servers/${created.id}`, {
      as: alice,
      method: 'PATCH',
      body: { name: 'Weather v2', description: null },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 2, name: 'Weather v2', description: null });

    const versions = await (
      await api(`/v1/servers/${created.id}/versions`, { as: alice })
    ).json<{
      current: number;
      versions: { version: number }[];
    }>();
    expect(versions.current).toBe(2);
    expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);
    const v1 = await (
      await api(`/v1/servers/${created.id}/versions/1`, { as: alice })
    ).json<{ spec: { name: string } }>();
    expect(v1.spec.name).toBe('Weather');

    const prm = await env.RUNNER.fetch(
      `${env.RUNNER_ORIGIN}/${created.slug}/.well-known/oauth-protected-resource`,
    );
    expect(await prm.json()).toMatchObject({ resource_name: 'Weather v2' });
    expect((await auditOf(created.id)).map((e) => e.action)).toEqual([
      'server.created',
      'server.updated',
    ]);
  });

  it('rolls back by republishing an old version as the newest one', async () => {
    const alice = await signUp();
    const created = await createServer(alice);
    await api(`/v1/servers/${created.id}`, { as: alice, method: 'PATCH', body: { name: 'Two' } });
    const res = await api(`/v1/servers/${created.id}`, {
      as: alice,
      method: 'PATCH',
      body: { currentVersion: 1 },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 3, name: 'Weather' });
    const v3 = await (await api(`/v1/servers/${created.id}/versions/3`, { as: alice })).json();
    expect(v3).toMatchObject({ note: 'rollback to version 1', spec: { name: 'Weather' } });
    const bad = await api(`/v1/servers/${created.id}`, {
      as: alice,
      method: 'PATCH',
      body: { currentVersion: 9 },
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { fields: [{ path: 'currentVersion' }] } });
  });

  it('refuses a PATCH that changes the slug or breaks the spec, publishing nothing', async () => {
    const alice = await signUp();
    const created = await createServer(alice);
    const slug = await api(`/v1/servers/${created.id}`, {
      as: alice,
      method: 'PATCH',
      body: { slug: uniqueSlug() },
    });
    expect(slug.status).toBe(422);
    expect(await slug.json()).toMatchObject({ error: { fields: [{ path: 'slug' }] } });
    const broken = await api(`/v1/servers/${created.id}`, {
      as: alice,
      method: 'PATCH',
      body: { tools: [] },
    });
    expect(broken.status).toBe(422);
    expect(await broken.json()).toMatchObject({ error: { fields: [{ path: 'tools' }] } });
    const get = await (
      await api(`/v1/servers/${created.id}`, { as: alice })
    ).json<{ version: number }>();
    expect(get.version).toBe(1);
  });

  it('answers 409 version_conflict to a PATCH when another PATCH published after it read the server', async () => {
    const alice = await signUp();
    const created = await createServer(alice);
    // PATCH B lands after PATCH A has read version 1 and before A publishes.
    const res = await patchRacing(alice, created.id, { description: 'From A' }, async () => {
      const b = await api(`/v1/servers/${created.id}`, {
        as: alice,
        method: 'PATCH',
        body: { name: 'From B' },
      });
      expect(b.status).toBe(200);
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: { code: 'version_conflict', currentVersion: 2 },
    });
    const now = await (
      await api(`/v1/servers/${created.id}`, { as: alice })
    ).json<{ version: number; name: string; description: string }>();
    expect(now).toMatchObject({ version: 2, name: 'From B', description: 'Forecasts' });
    const versions = await (
      await api(`/v1/servers/${created.id}/versions`, { as: alice })
    ).json<{ versions: { version: number }[] }>();
    expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await auditOf(created.id)).map((e) => e.action)).toEqual([
      'server.created',
      'server.updated',
    ]);
  });

  it('answers 409 version_conflict to a rollback when a version was published after it read the server', async () => {
    const alice = await signUp();
    const created = await createServer(alice);
    await api(`/v1/servers/${created.id}`, { as: alice, method: 'PATCH', body: { name: 'Two' } });
    const res = await patchRacing(alice, created.id, { currentVersion: 1 }, async () => {
      await api(`/v1/servers/${created.id}`, {
        as: alice,
        method: 'PATCH',
        body: { name: 'Three' },
      });
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: { code: 'version_conflict', currentVersion: 3 },
    });
    const now = await (await api(`/v1/servers/${created.id}`, { as: alice })).json();
    expect(now).toMatchObject({ version: 3, name: 'Three' });
  });

  it('deletes a server: its API resource and its MCP URL answer 404', async () => {
    const alice = await signUp();
    const created = await createServer(alice);
    const del = await api(`/v1/servers/${created.id}`, { as: alice, method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await api(`/v1/servers/${created.id}`, { as: alice })).status).toBe(404);
    const mcp = await env.RUNNER.fetch(created.url, { method: 'POST' });
    expect(mcp.status).toBe(404);
    expect(await mcp.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await auditOf(created.id)).map((e) => e.action)).toEqual([
      'server.created',
      'server.deleted',
    ]);
  });

  it("hides another organization's server behind 404", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const created = await createServer(alice);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await api(`/v1/servers/${created.id}`, { as: bob, method, body });
      expect(res.status).toBe(404);
    }
    const put = await api(`/v1/servers/${created.id}/secrets/API_KEY`, {
      as: bob,
      method: 'PUT',
      body: { value: 'x' },
    });
    expect(put.status).toBe(404);
  });

  it('lets members read but only owners and admins change servers', async () => {
    const owner = await signUp();
    const created = await createServer(owner);
    const member = await addMember(owner, 'member');
    const admin = await addMember(owner, 'admin');
    const h = inOrg(owner.orgId);
    expect((await api(`/v1/servers/${created.id}`, { as: member, headers: h })).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/v1/servers', sampleSpec()],
      ['PATCH', `/v1/servers/${created.id}`, { name: 'x' }],
      ['PUT', `/v1/servers/${created.id}/secrets/API_KEY`, { value: 'v' }],
      ['DELETE', `/v1/servers/${created.id}`, undefined],
    ] as const) {
      const res = await api(path, { as: member, method, body, headers: h });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    const patched = await api(`/v1/servers/${created.id}`, {
      as: admin,
      method: 'PATCH',
      body: { name: 'By admin' },
      headers: h,
    });
    expect(patched.status).toBe(200);
  });

  it('publishes the ServerSpec JSON Schema', async () => {
    const res = await api('/v1/schemas/server-spec.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ title: 'Moat ServerSpec v1', type: 'object' });
  });
});

describe('draft servers (a build has not published yet)', () => {
  it('reads and deletes a draft; changing it answers 409 not_published', async () => {
    const alice = await signUp();
    const slug = uniqueSlug('draft');
    const id = `srv_draft${Date.now().toString(36)}`;
    await env.DB.prepare(
      `INSERT INTO servers (id, org_id, slug, name, visibility, current_version, created_by,
         created_at, updated_at) VALUES (?, ?, ?, 'Draft', 'private', NULL, ?, ?, ?)`,
    )
      .bind(id, alice.orgId, slug, alice.user.id, Date.now(), Date.now())
      .run();
    const get = await api(`/v1/servers/${id}`, { as: alice });
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ id, slug, version: null, spec: null });
    const patch = await api(`/v1/servers/${id}`, {
      as: alice,
      method: 'PATCH',
      body: { name: 'x' },
    });
    expect(patch.status).toBe(409);
    expect(await patch.json()).toMatchObject({ error: { code: 'not_published' } });
    expect((await api(`/v1/servers/${id}`, { as: alice, method: 'DELETE' })).status).toBe(204);
    expect((await api(`/v1/servers/${id}`, { as: alice })).status).toBe(404);
  });
});
