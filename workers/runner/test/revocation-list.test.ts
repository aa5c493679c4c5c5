// The isolate's copy of the revocation rules, against the real D1 table the AS appends to. Each
// test uses its own RevocationList and an explicit clock, so the poll interval and the hard bound
// are exercised without waiting.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { PresentedToken } from '../../../lib/tokens/revocation';
import { RevocationList, revocationTiming } from '../src/revocation-list';

const timing = { pollMs: 10_000, maxStaleMs: 45_000, streamCheckMs: 7_500 };

let counter = 0;
/** A token of a grant no other test names, issued a minute before `at`. */
function tokenAt(at: number): PresentedToken {
  return {
    sub: 'usr_list',
    clientId: 'cl_list',
    grantId: `gr_list${Date.now().toString(36)}${(counter++).toString(36)}`,
    serverId: 'srv_list',
    orgId: 'org_list',
    iat: Math.floor(at / 1000) - 60,
  };
}

/** What the AS writes (workers/auth/src/store/token-revocations.ts), straight into D1. */
async function insertRule(
  rule: { grantId?: string; sub?: string; serverId?: string },
  at: number,
  ttlMs = 3_660_000,
): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO token_revocations
       (server_id, org_id, sub, client_id, grant_id, issued_before, expires_at, reason, created_at)
     VALUES (?, NULL, ?, NULL, ?, ?, ?, 'grant_revoked', ?) RETURNING id`,
  )
    .bind(rule.serverId ?? null, rule.sub ?? null, rule.grantId ?? null, at, at + ttlMs, at)
    .first<{ id: number }>();
  return row!.id;
}

describe('revocation list', () => {
  it('refuses a token once a rule for its grant is read, and leaves other tokens alone', async () => {
    const list = new RevocationList();
    const now = Date.now();
    const token = tokenAt(now);
    const other = tokenAt(now);
    expect(await list.verdict(env.DB, timing, token, now)).toBe('live');
    await insertRule({ grantId: token.grantId }, now);
    await list.refresh(env.DB, now + 1);
    expect(await list.verdict(env.DB, timing, token, now + 2)).toBe('revoked');
    expect(await list.verdict(env.DB, timing, other, now + 2)).toBe('live');
  });

  it('reads no storage while its copy is younger than the poll interval', async () => {
    const list = new RevocationList();
    const now = Date.now();
    const token = tokenAt(now);
    await list.refresh(env.DB, now);
    await insertRule({ grantId: token.grantId }, now);
    // Within the interval the copy answers, even though D1 already holds the rule.
    expect(await list.verdict(env.DB, timing, token, now + timing.pollMs - 1)).toBe('live');
    // Past it, the answer still comes from the copy while a background read picks the rule up.
    expect(await list.verdict(env.DB, timing, token, now + timing.pollMs + 1)).toBe('live');
    await list.refresh(env.DB, now + timing.pollMs + 1); // joins the read in flight
    expect(await list.verdict(env.DB, timing, token, now + timing.pollMs + 2)).toBe('revoked');
  });

  it('honours a rule written during a quiet spell on the first request past the hard bound', async () => {
    const list = new RevocationList();
    const now = Date.now();
    const token = tokenAt(now);
    await list.refresh(env.DB, now);
    await insertRule({ grantId: token.grantId }, now);
    // No request for longer than the hard bound: the first one reads before it answers.
    expect(await list.verdict(env.DB, timing, token, now + timing.maxStaleMs + 1)).toBe('revoked');
  });

  it('re-reads only the rules added since its last read', async () => {
    const list = new RevocationList();
    const now = Date.now();
    const first = tokenAt(now);
    const second = tokenAt(now);
    const id = await insertRule({ grantId: first.grantId }, now);
    await list.refresh(env.DB, now);
    const size = list.size;
    // The row goes away in D1 (as the AS's prune does), a new one arrives: the copy keeps the
    // first, which a full re-read would have lost, and adds the second.
    await env.DB.prepare('DELETE FROM token_revocations WHERE id = ?').bind(id).run();
    await insertRule({ grantId: second.grantId }, now);
    await list.refresh(env.DB, now + 1);
    expect(list.size).toBe(size + 1);
    expect(await list.verdict(env.DB, timing, first, now + 2)).toBe('revoked');
    expect(await list.verdict(env.DB, timing, second, now + 2)).toBe('revoked');
  });

  it('drops a rule once it expires, from memory and from its answers', async () => {
    const list = new RevocationList();
    const now = Date.now();
    const token = tokenAt(now);
    await insertRule({ grantId: token.grantId }, now, 5_000);
    await list.refresh(env.DB, now);
    const size = list.size;
    expect(await list.verdict(env.DB, timing, token, now + 1)).toBe('revoked');
    await list.refresh(env.DB, now + 6_000);
    expect(list.size).toBeLessThan(size);
    expect(await list.verdict(env.DB, timing, token, now + 6_001)).toBe('live');
  });

  it('fails closed when the rules cannot be read and its copy is past the hard bound', async () => {
    const list = new RevocationList();
    const now = Date.now();
    const token = tokenAt(now);
    // EMPTY_DB is a real D1 database without the table: every read fails.
    expect(await list.verdict(env.EMPTY_DB, timing, token, now)).toBe('unknown');
    await list.refresh(env.DB, now);
    // A failed background read keeps serving the copy until the hard bound…
    expect(await list.verdict(env.EMPTY_DB, timing, token, now + timing.pollMs + 1)).toBe('live');
    // …and not after it.
    expect(await list.verdict(env.EMPTY_DB, timing, token, now + timing.maxStaleMs + 1)).toBe(
      'unknown',
    );
  });

  it('reads its timing from the runner vars: 10 s / 45 s by default, the bound capped at 55 s', () => {
    expect(revocationTiming({})).toEqual({
      pollMs: 10_000,
      maxStaleMs: 45_000,
      streamCheckMs: 7_500,
    });
    expect(
      revocationTiming({ REVOCATION_POLL_SECONDS: '1', REVOCATION_MAX_STALE_SECONDS: '2' }),
    ).toEqual({ pollMs: 1_000, maxStaleMs: 2_000, streamCheckMs: 1_000 });
    // Garbage falls back to the default; a bound past 55 s would break the 60 s promise.
    expect(
      revocationTiming({ REVOCATION_POLL_SECONDS: 'x', REVOCATION_MAX_STALE_SECONDS: '600' }),
    ).toEqual({ pollMs: 10_000, maxStaleMs: 55_000, streamCheckMs: 2_500 });
    expect(revocationTiming({ REVOCATION_POLL_SECONDS: '90' })).toEqual({
      pollMs: 45_000,
      maxStaleMs: 45_000,
      streamCheckMs: 7_500,
    });
  });
});
