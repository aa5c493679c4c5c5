import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hit, refund } from '../src/store/rate-limits';

const key = () => `test:${crypto.randomUUID()}`;
const opts = { limit: 3, windowMs: 60_000 };

describe('rate-limits store (fixed window)', () => {
  it('refuses the hit past the limit with the seconds left in the window', async () => {
    const k = key();
    const now = 1_000_000;
    for (let i = 1; i <= 3; i++) {
      expect(await hit(env.DB, k, { ...opts, now })).toMatchObject({ allowed: true, count: i });
    }
    expect(await hit(env.DB, k, { ...opts, now: now + 30_000 })).toEqual({
      allowed: false,
      count: 4,
      retryAfterSeconds: 30,
    });
  });

  it('starts a new window once the old one has elapsed', async () => {
    const k = key();
    for (let i = 0; i < 5; i++) await hit(env.DB, k, { ...opts, now: 0 });
    expect(await hit(env.DB, k, { ...opts, now: 60_000 })).toMatchObject({
      allowed: true,
      count: 1,
    });
  });

  it('counts concurrent hits exactly (one atomic statement each)', async () => {
    const k = key();
    const states = await Promise.all(
      Array.from({ length: 10 }, () => hit(env.DB, k, { ...opts, now: 5 })),
    );
    expect(states.map((s) => s.count).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(states.filter((s) => s.allowed)).toHaveLength(3);
  });

  it('refund takes one counted event back, never below zero', async () => {
    const k = key();
    for (let i = 0; i < 3; i++) await hit(env.DB, k, { ...opts, now: 0 });
    await refund(env.DB, k);
    expect(await hit(env.DB, k, { ...opts, now: 1 })).toMatchObject({ allowed: true, count: 3 });
    for (let i = 0; i < 5; i++) await refund(env.DB, k);
    expect(await hit(env.DB, k, { ...opts, now: 2 })).toMatchObject({ count: 1 });
  });
});
