import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { bundleWorker, workerOptions } from '../../scripts/lib/workers.mjs';
import { startClientMetadataServer } from './test/support/client-metadata-server';
import { startProvider } from '../../test/support/oauth-provider';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TEST_BINDINGS = {
  MASTER_KEY: 'dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMtISE=',
  ALLOW_PRIVATE_EGRESS: '1',
  // The runner re-reads a server's published version on every request, so tests see publishes.
  SERVER_REVALIDATE_MS: '0',
  // The runner picks up revocation rules within 1-2 s (production: 10 s, at most 45 s stale).
  REVOCATION_POLL_SECONDS: '1',
  REVOCATION_MAX_STALE_SECONDS: '2',
};

// The real runner Worker runs beside the auth Worker (service binding RUNNER), bundled from source.
export default defineConfig(async () => {
  // wrangler.toml's [assets] directory must exist; these tests never need the built dashboard.
  mkdirSync(`${root}/web/dist`, { recursive: true });
  const runnerScript = await bundleWorker('runner', `${root}/dist/test/runner`);
  // Client ID Metadata Documents served over real HTTP on 127.0.0.1 (see the AS's CIMD tests).
  const cimd = await startClientMetadataServer();
  // A real third-party OAuth provider (oidc-provider) and its downstream API, for connections.
  const provider = await startProvider({ moatIssuers: ['http://127.0.0.1:8787'] });
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: `${root}/wrangler.toml` },
        miniflare: {
          bindings: {
            ...TEST_BINDINGS,
            TEST_MIGRATIONS: await readD1Migrations(`${root}/migrations`),
            CIMD_ORIGIN: cimd.origin,
            CONN_PROVIDER_ISSUER: provider.issuer,
            CONN_PROVIDER_CLIENT_ID: provider.clientId,
            CONN_PROVIDER_CLIENT_SECRET: provider.clientSecret,
            CONN_PROVIDER_PUBLIC_CLIENT_ID: provider.publicClientId,
            CONN_DOWNSTREAM_ORIGIN: provider.downstreamOrigin,
          },
          workers: [workerOptions('runner', runnerScript, TEST_BINDINGS)],
        },
      }),
    ],
    test: {
      name: 'auth',
      include: ['test/**/*.test.ts'],
      setupFiles: ['./test/apply-migrations.ts'],
      globalSetup: ['./test/global-servers.ts'],
    },
  };
});
