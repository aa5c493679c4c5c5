import type { D1Migration } from 'cloudflare:test';

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      CIMD_ORIGIN: string;
      /** The test OAuth provider (test/support/oauth-provider) and its downstream API. */
      CONN_PROVIDER_ISSUER: string;
      CONN_PROVIDER_CLIENT_ID: string;
      CONN_PROVIDER_CLIENT_SECRET: string;
      CONN_PROVIDER_PUBLIC_CLIENT_ID: string;
      CONN_DOWNSTREAM_ORIGIN: string;
    }
  }
}
