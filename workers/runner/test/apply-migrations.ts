import { applyD1Migrations, env } from 'cloudflare:test';
import { publishTestJwks } from './support/tokens';

// Real D1, real schema: the same SQL files wrangler applies in production.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// The public half of the test signing key, where the AS publishes its JWKS (KV `jwks`).
await publishTestJwks();
