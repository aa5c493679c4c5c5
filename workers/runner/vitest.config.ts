import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { exportJWK, generateKeyPair } from 'jose';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { startDownstream } from './test/support/downstream-server';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig(async () => {
  // A real downstream API on 127.0.0.1 (tools call it through the runner's egress guard) and a
  // test-only RS256 key standing in for the AS: its public half goes to KV `jwks` in the setup.
  const downstream = await startDownstream();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256' };
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: `${root}/workers/runner/wrangler.toml` },
        miniflare: {
          bindings: {
            MASTER_KEY: 'dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMtISE=',
            ALLOW_PRIVATE_EGRESS: '1',
            SERVER_REVALIDATE_MS: '0',
            TEST_MIGRATIONS: await readD1Migrations(`${root}/migrations`),
            TEST_SIGNING_KEY: JSON.stringify(signingKey),
            DOWNSTREAM_ORIGIN: downstream.origin,
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
