import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** Private JWK (RS256, kid test-key-1) standing in for the AS's signing key. */
      TEST_SIGNING_KEY: string;
      /** Origin of the local downstream API started by vitest.config.ts. */
      DOWNSTREAM_ORIGIN: string;
      /** Origin of the local OAuth provider + API for per-user connections (vitest.config.ts). */
      PROVIDER_ORIGIN: string;
      /** A D1 database with no tables, for storage failures (vitest.config.ts). */
      EMPTY_DB: D1Database;
    }
  }
}
