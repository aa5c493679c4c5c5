import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** Private JWK (RS256, kid test-key-1) standing in for the AS's signing key. */
      TEST_SIGNING_KEY: string;
      /** Origin of the local downstream API started by vitest.config.ts. */
      DOWNSTREAM_ORIGIN: string;
      /** The test OAuth provider (test/support/oauth-provider) and its downstream API. */
      CONN_PROVIDER_ISSUER: string;
      CONN_PROVIDER_CLIENT_ID: string;
      CONN_PROVIDER_CLIENT_SECRET: string;
      CONN_DOWNSTREAM_ORIGIN: string;
      /** A D1 database with no tables, for storage failures (vitest.config.ts). */
      EMPTY_DB: D1Database;
    }
  }
}
