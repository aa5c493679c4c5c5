import { applyD1Migrations, env } from 'cloudflare:test';

// Real D1, real schema: the same SQL files wrangler applies in production.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
