export type ComponentStatus = { ok: boolean; error?: string };

export async function checkD1(db: D1Database): Promise<ComponentStatus> {
  try {
    await db.prepare('SELECT 1 AS one FROM users LIMIT 1').all();
    return { ok: true };
  } catch {
    return {
      ok: false,
      error: 'D1 query failed (are migrations applied? run `npm run db:migrate:local`)',
    };
  }
}

export async function checkKv(kv: KVNamespace): Promise<ComponentStatus> {
  try {
    await kv.get('health:probe');
    return { ok: true };
  } catch {
    return { ok: false, error: 'KV read failed' };
  }
}
