// Tool-call audit rows written in batches (audit-batch.ts, docs/decisions.md 2026-12-03): calls
// close together share one D1 batch, every row lands, and each call's waitUntil holds the write
// that carries its row — so nothing waits on a later flush an isolate might not live to run.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { enqueueAudit, MAX_AUDIT_BATCH } from '../src/audit-batch';
import { cachedRedactor } from '../src/tools/redactor-cache';
import { callTool, initialize } from './support/mcp';
import { publishServer, setSecret, uniqueSlug, weatherSpec } from './support/servers';
import { mintToken } from './support/tokens';

/** The real D1 binding, counting its batches (and failing the first `failFirst` of them). */
function countingDb(failFirst = 0) {
  const sizes: number[] = [];
  let failures = failFirst;
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          sizes.push(statements.length);
          if (failures-- > 0) return Promise.reject(new Error('D1_ERROR: network connection lost'));
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, sizes };
}

/** Enqueues `n` events for `resource`; returns each event's waitUntil promises. */
function enqueue(db: D1Database, resource: string, n: number): Promise<unknown>[][] {
  return Array.from({ length: n }, (_, i) => {
    const held: Promise<unknown>[] = [];
    enqueueAudit(
      { env: { DB: db }, waitUntil: (p) => held.push(p) },
      {
        orgId: 'org_batch',
        serverId: resource,
        sub: 'usr_batch',
        metadata: { tool: 'get_forecast', n: i },
      },
    );
    return held;
  });
}

const rowsOf = async (resource: string) =>
  (
    await env.DB.prepare(
      `SELECT metadata FROM audit_events WHERE resource = ? AND action = 'tool.call'`,
    )
      .bind(resource)
      .all<{ metadata: string }>()
  ).results.map((r) => JSON.parse(r.metadata) as { n: number });

describe('tool-call audit batches', () => {
  it('writes the rows of calls made within the window in one D1 batch, every row once', async () => {
    const resource = uniqueSlug('srv_batch');
    const { db, sizes } = countingDb();
    const held = enqueue(db, resource, 5);
    expect(held.every((h) => h.length === 1)).toBe(true);
    // The first call's waitUntil alone covers every row of its batch.
    await held[0]![0];
    expect(sizes).toEqual([5]);
    expect((await rowsOf(resource)).map((m) => m.n).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('writes a full batch at once and starts the next', async () => {
    const resource = uniqueSlug('srv_full');
    const { db, sizes } = countingDb();
    const held = enqueue(db, resource, MAX_AUDIT_BATCH + 1);
    await Promise.all(held.flat());
    expect(sizes).toEqual([MAX_AUDIT_BATCH, 1]);
    expect(await rowsOf(resource)).toHaveLength(MAX_AUDIT_BATCH + 1);
  });

  it('tries a failed batch once more, whole, so no row is lost or written twice', async () => {
    const resource = uniqueSlug('srv_retry');
    const { db, sizes } = countingDb(1);
    await Promise.all(enqueue(db, resource, 3).flat());
    expect(sizes).toEqual([3, 3]);
    expect(await rowsOf(resource)).toHaveLength(3);
  });

  it('audits every one of many concurrent tools/calls across sessions', async () => {
    const slug = uniqueSlug('batch-e2e');
    const server = await publishServer(weatherSpec(slug));
    await setSecret(server, 'API_KEY', 'sk_batch');
    const token = await mintToken(slug);
    const sessions = await Promise.all([0, 1, 2].map(() => initialize(slug, token)));
    const CALLS = 12;
    await Promise.all(
      Array.from({ length: CALLS }, (_, i) =>
        callTool(slug, token, sessions[i % 3]!, 'get_forecast', { city: `C${i}` }),
      ),
    );
    const count = () =>
      env.DB.prepare(
        `SELECT COUNT(*) AS n FROM audit_events WHERE resource = ? AND action = 'tool.call'`,
      )
        .bind(server.id)
        .first<{ n: number }>();
    let seen = await count();
    for (let i = 0; i < 100 && seen!.n < CALLS; i++) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await count();
    }
    expect(seen!.n).toBe(CALLS);
  });
});

describe('compiled secret redactors', () => {
  it('compiles one redactor per set of secret values, whatever their order or names', () => {
    const a = cachedRedactor(
      new Map([
        ['A', 'sk_alpha_1'],
        ['B', 'sk_beta_22'],
      ]),
    );
    const b = cachedRedactor(
      new Map([
        ['Y', 'sk_beta_22'],
        ['X', 'sk_alpha_1'],
      ]),
    );
    expect(b).toBe(a);
    expect(a('x sk_beta_22 y')).toBe('x [redacted] y');
    const c = cachedRedactor(new Map([['A', 'sk_alpha_2']]));
    expect(c).not.toBe(a);
    expect(c('sk_alpha_1 sk_alpha_2')).toBe('sk_alpha_1 [redacted]');
  });
});
