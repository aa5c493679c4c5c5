// GET /api/health (DESIGN §3): 200 when D1 and KV answer, else 503 naming what is down.
import type { Context } from 'hono';
import type { AppEnv } from './app-env';
import { checkD1, checkKv } from './store/health';

export async function health(c: Context<AppEnv>): Promise<Response> {
  const [d1, kv] = await Promise.all([checkD1(c.env.DB), checkKv(c.env.KV)]);
  const ok = d1.ok && kv.ok;
  const down = [!d1.ok && 'd1', !kv.ok && 'kv'].filter(Boolean);
  return c.json(
    { ok, service: 'moat-auth', checks: { d1, kv }, ...(ok ? {} : { down }) },
    ok ? 200 : 503,
    { 'cache-control': 'no-store' },
  );
}
