import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAX_SERVERS, resolveServer } from '../src/server-cache';
import { mcpFetch } from './support/mcp';
import { publishServer, uniqueSlug, weatherSpec } from './support/servers';
import { mintToken } from './support/tokens';

const cached = { ...env, SERVER_REVALIDATE_MS: '5000' };

describe('server cache under unknown slugs', () => {
  // Each unknown slug costs one D1 read; more of them than the cache holds servers is enough to
  // show misses no longer evict (before, one map held both and dropped its oldest entry).
  it('keeps serving a known server after more unknown slugs than it holds servers', async () => {
    const slug = uniqueSlug('known');
    const server = await publishServer(weatherSpec(slug));
    const t0 = Date.now();
    expect((await resolveServer(cached, slug, t0))?.id).toBe(server.id);
    // From here on, a D1 lookup of the slug finds nothing: only the cache can answer.
    await env.DB.prepare('UPDATE servers SET slug = ? WHERE id = ?')
      .bind(uniqueSlug('moved'), server.id)
      .run();
    const unknownSlugs = Array.from(
      { length: MAX_SERVERS + 500 },
      (_, i) => `nope-${t0.toString(36)}-${i}`,
    );
    for (let i = 0; i < unknownSlugs.length; i += 100) {
      const batch = unknownSlugs.slice(i, i + 100);
      const found = await Promise.all(batch.map((s) => resolveServer(cached, s, t0 + 1)));
      expect(found.every((f) => f === undefined)).toBe(true);
    }
    expect((await resolveServer(cached, slug, t0 + 2))?.id).toBe(server.id);
  }, 60_000);

  it('answers an unknown slug 404, and finds a server created later once the miss expires', async () => {
    const slug = uniqueSlug('later');
    const res = await mcpFetch(slug, { jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });

    const t0 = Date.now() + 60_000; // clear of the miss the request above recorded
    expect(await resolveServer(cached, slug, t0)).toBeUndefined();

    const server = await publishServer(weatherSpec(slug));
    expect(await resolveServer(cached, slug, t0 + 1000)).toBeUndefined(); // remembered miss
    expect((await resolveServer(cached, slug, t0 + 5001))?.id).toBe(server.id);
  });

  it('answers a malformed slug 404', async () => {
    const slug = `Not_A_Slug-${'x'.repeat(2000)}`;
    expect(await resolveServer(cached, slug)).toBeUndefined();
    const res = await mcpFetch(
      slug,
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      {
        token: await mintToken(slug),
      },
    );
    expect(res.status).toBe(404);
  });
});
