// Fixed-window counters in D1 (rate_limits). One atomic UPSERT per hit: the window restarts when
// it has elapsed, otherwise the count grows; RETURNING gives the state after this hit, so
// concurrent hits each see their own exact count (no check-then-act).
export type Limit = { limit: number; windowMs: number; now?: number };
export type LimitState = { allowed: boolean; retryAfterSeconds: number; count: number };

function state(
  row: { window_start: number; count: number } | null,
  { limit, windowMs }: Limit,
  now: number,
): LimitState {
  if (!row || row.window_start + windowMs <= now)
    return { allowed: true, retryAfterSeconds: 0, count: 0 };
  const retryAfterSeconds = Math.max(1, Math.ceil((row.window_start + windowMs - now) / 1000));
  return { allowed: row.count <= limit, retryAfterSeconds, count: row.count };
}

/** Counts one event against `key`; `allowed` is false once the count passes `limit`. */
export async function hit(db: D1Database, key: string, opts: Limit): Promise<LimitState> {
  const now = opts.now ?? Date.now();
  const row = await db
    .prepare(
      `INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE count + 1 END,
         window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END
       RETURNING window_start, count`,
    )
    .bind(key, now, opts.windowMs)
    .first<{ window_start: number; count: number }>();
  return state(row, opts, now);
}

/** Takes back one counted event (it turned out not to be one the limit is about). */
export async function refund(db: D1Database, key: string): Promise<void> {
  await db
    .prepare('UPDATE rate_limits SET count = count - 1 WHERE key = ? AND count > 0')
    .bind(key)
    .run();
}

export async function resetLimit(db: D1Database, key: string): Promise<void> {
  await db.prepare('DELETE FROM rate_limits WHERE key = ?').bind(key).run();
}
