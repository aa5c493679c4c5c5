// The compare-and-set statements that make codes single-use and refresh rotation exclusive, raced
// directly at D1: 20 batches submitted at once, as 20 isolates would. (The /token race tests
// drive the same statements over HTTP, where how many requests overlap depends on scheduling.)
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  codeRedeemedGuard,
  insertCodeStatement,
  redeemCodeStatement,
} from '../src/store/auth-codes';
import { insertGrantStatement } from '../src/store/grants';
import {
  insertRefreshStatement,
  reRotateStatements,
  rotateRefreshStatement,
  rotatedGuard,
} from '../src/store/refresh-tokens';

const db = env.DB;
const now = Date.now();
const grant = (id: string) => ({
  id,
  userId: 'usr_x',
  clientId: 'cl_x',
  serverId: 'srv_x',
  resource: 'http://127.0.0.1:8788/x/mcp',
  scope: 'mcp:read',
  createdAt: now,
  expiresAt: now + 86_400_000,
  lastTokenAt: now,
  lastRefreshAt: null,
  revokedAt: null,
  revokedReason: null,
});
const refreshRow = (hash: string, grantId: string) => ({
  tokenHash: hash,
  grantId,
  clientId: 'cl_x',
  createdAt: now,
  idleExpiresAt: now + 86_400_000,
});
const always = { sql: 'SELECT 1', args: [] };

async function live(grantId: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      'SELECT token_hash FROM refresh_tokens WHERE grant_id = ? AND used_at IS NULL AND revoked_at IS NULL',
    )
    .bind(grantId)
    .all<{ token_hash: string }>();
  return results.map((r) => r.token_hash);
}

describe('D1 compare-and-set under 20 concurrent batches', () => {
  it('redeems a code exactly once and creates exactly one grant', async () => {
    const hash = `code-${crypto.randomUUID()}`;
    await insertCodeStatement(db, {
      codeHash: hash,
      clientId: 'cl_x',
      userId: 'usr_x',
      serverId: 'srv_x',
      redirectUri: 'http://127.0.0.1/cb',
      codeChallenge: 'c',
      resource: 'r',
      scope: 's',
      createdAt: now,
      expiresAt: now + 600_000,
      usedAt: null,
      grantId: null,
    }).run();
    const ids = Array.from({ length: 20 }, () => `gr_${crypto.randomUUID()}`);
    const results = await Promise.all(
      ids.map((id) =>
        db.batch([
          redeemCodeStatement(db, hash, id, now, { requireAccess: false }),
          insertGrantStatement(db, grant(id), codeRedeemedGuard(hash, id)),
        ]),
      ),
    );
    expect(results.filter((r) => r[0]!.meta.changes === 1)).toHaveLength(1);
    const placeholders = ids.map(() => '?').join(',');
    const count = await db
      .prepare(`SELECT COUNT(*) AS n FROM grants WHERE id IN (${placeholders})`)
      .bind(...ids)
      .first<{ n: number }>();
    expect(count!.n).toBe(1);
  });

  it('rotates a refresh token exactly once', async () => {
    const grantId = `gr_${crypto.randomUUID()}`;
    const old = `rt-${crypto.randomUUID()}`;
    await db.batch([
      insertGrantStatement(db, grant(grantId), always),
      insertRefreshStatement(db, refreshRow(old, grantId), always),
    ]);
    const next = Array.from({ length: 20 }, () => `rt-${crypto.randomUUID()}`);
    const results = await Promise.all(
      next.map((n) =>
        db.batch([
          rotateRefreshStatement(db, old, n, now),
          insertRefreshStatement(db, refreshRow(n, grantId), rotatedGuard(old, n)),
        ]),
      ),
    );
    expect(results.filter((r) => r[0]!.meta.changes === 1)).toHaveLength(1);
    expect(await live(grantId)).toHaveLength(1);
  });

  it('lets exactly one grace retry replace the lost successor', async () => {
    const grantId = `gr_${crypto.randomUUID()}`;
    const old = `rt-${crypto.randomUUID()}`;
    const lost = `rt-${crypto.randomUUID()}`;
    await db.batch([
      insertGrantStatement(db, grant(grantId), always),
      insertRefreshStatement(db, refreshRow(old, grantId), always),
    ]);
    await db.batch([
      rotateRefreshStatement(db, old, lost, now),
      insertRefreshStatement(db, refreshRow(lost, grantId), rotatedGuard(old, lost)),
    ]);
    const retries = Array.from({ length: 20 }, () => `rt-${crypto.randomUUID()}`);
    const results = await Promise.all(
      retries.map((n) =>
        db.batch([
          ...reRotateStatements(db, old, lost, n, now),
          insertRefreshStatement(db, refreshRow(n, grantId), rotatedGuard(old, n)),
        ]),
      ),
    );
    expect(results.filter((r) => r[0]!.meta.changes === 1)).toHaveLength(1);
    const remaining = await live(grantId);
    expect(remaining).toHaveLength(1);
    expect(remaining[0]).not.toBe(lost);
  });
});
