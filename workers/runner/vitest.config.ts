import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { exportJWK, generateKeyPair } from 'jose';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { startProvider } from '../../test/support/oauth-provider';
import { startDownstream } from './test/support/downstream-server';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig(async () => {
  // A real downstream API on 127.0.0.1 (tools call it through the runner's egress guard) and a
  // test-only RS256 key standing in for the AS: its public half goes to KV `jwks` in the setup.
  const downstream = await startDownstream();
  // A real third-party OAuth provider (oidc-provider) and its downstream API, for connections.
  const provider = await startProvider();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256' };
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: `${root}/workers/runner/wrangler.toml` },
        miniflare: {
          // A D1 database with no tables: a real storage failure for the fail-closed tests.
          d1Databases: { EMPTY_DB: 'runner-empty-db' },
          bindings: {
            MASTER_KEY: 'dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMtISE=',
            ALLOW_PRIVATE_EGRESS: '1',
            SERVER_REVALIDATE_MS: '0',
            // Revocation rules re-read after 1 s in the background, before answering after 2 s.
            REVOCATION_POLL_SECONDS: '1',
            REVOCATION_MAX_STALE_SECONDS: '2',
            TEST_MIGRATIONS: await readD1Migrations(`${root}/migrations`),
            TEST_SIGNING_KEY: JSON.stringify(signingKey),
            DOWNSTREAM_ORIGIN: downstream.origin,
            CONN_PROVIDER_ISSUER: provider.issuer,
            CONN_PROVIDER_CLIENT_ID: provider.clientId,
            CONN_PROVIDER_CLIENT_SECRET: provider.clientSecret,
            CONN_DOWNSTREAM_ORIGIN: provider.downstreamOrigin,
          },
        },
      }),
    ],
    test: {
      name: 'runner',
      include: ['test/**/*.test.ts'],
      setupFiles: ['./test/apply-migrations.ts'],
    },
  };
});
