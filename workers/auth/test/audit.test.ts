import { describe, expect, it } from 'vitest';
import { writeAudit } from '../src/store/audit';
import { env } from 'cloudflare:test';
import { api, createApiKey, signUp } from './support/accounts';

type Page = {
  events: { id: string; action: string; actor: string; ts: number }[];
  nextCursor: string | null;
};

describe('GET /v1/audit', () => {
  it('refuses without authentication with 401', async () => {
    expect((await api('/v1/audit')).status).toBe(401);
  });

  it('refuses an unknown query parameter with 422 naming it', async () => {
    const alice = await signUp();
    const res = await api('/v1/audit?org=other', { as: alice });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', fields: [{ path: 'org', message: 'Unknown field.' }] },
    });
  });

  it('refuses a malformed cursor, time or limit with 422 and the field path', async () => {
    const alice = await signUp();
    for (const [q, path] of [
      ['cursor=abc', 'cursor'],
      ['since=yesterday', 'since'],
      ['limit=0', 'limit'],
      ['action=DROP%20TABLE', 'action'],
    ]) {
      const res = await api(`/v1/audit?${q}`, { as: alice });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ error: { fields: [{ path }] } });
    }
  });

  it("shows only the caller's org", async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const page = await (await api('/v1/audit', { as: alice })).json<Page>();
    expect(page.events.map((e) => e.actor)).not.toContain(bob.user.id);
    expect(page.events.map((e) => e.action)).toEqual(['user.signup']);
  });

  it('records account events and filters by action, prefix, actor and resource', async () => {
    const alice = await signUp();
    const key = await createApiKey(alice, 'k');
    await api(`/v1/api-keys/${key.id}`, { as: alice, method: 'DELETE' });
    const all = await (await api('/v1/audit', { as: alice })).json<Page>();
    expect(all.events.map((e) => e.action)).toEqual([
      'api_key.revoked',
      'api_key.created',
      'user.signup',
    ]);
    const created = await (
      await api('/v1/audit?action=api_key.created', { as: alice })
    ).json<Page>();
    expect(created.events.map((e) => e.action)).toEqual(['api_key.created']);
    const prefixed = await (await api('/v1/audit?action=api_key.*', { as: alice })).json<Page>();
    expect(prefixed.events).toHaveLength(2);
    const byResource = await (
      await api(`/v1/audit?resource=${key.id}`, { as: alice })
    ).json<Page>();
    expect(byResource.events).toHaveLength(2);
    const byActor = await (await api(`/v1/audit?actor=usr_nobody`, { as: alice })).json<Page>();
    expect(byActor.events).toEqual([]);
  });

  it('filters by time range and pages with a cursor, newest first, without gaps or repeats', async () => {
    const alice = await signUp();
    const base = 1_700_000_000_000;
    for (let i = 0; i < 7; i++) {
      await writeAudit(env.DB, {
        orgId: alice.orgId,
        action: 'server.secret.set',
        now: base + i * 1000,
        metadata: { i },
      });
    }
    const seen: number[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const q = `action=server.secret.set&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page: Page = await (await api(`/v1/audit?${q}`, { as: alice })).json<Page>();
      seen.push(...page.events.map((e) => e.ts));
      cursor = page.nextCursor;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => base + i * 1000));
    const ranged = await (
      await api(
        `/v1/audit?action=server.secret.set&since=${base + 2000}&until=${new Date(base + 4000).toISOString()}`,
        { as: alice },
      )
    ).json<Page>();
    expect(ranged.events.map((e) => e.ts)).toEqual([base + 3000, base + 2000]);
  });
});
