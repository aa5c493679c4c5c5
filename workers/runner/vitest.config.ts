import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: `${root}/workers/runner/wrangler.toml` },
      miniflare: {
        bindings: {
          MASTER_KEY: 'dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMtISE=',
          ALLOW_PRIVATE_EGRESS: '1',
          TEST_MIGRATIONS: await readD1Migrations(`${root}/migrations`),
        },
      },
    }),
  ],
  test: {
    name: 'runner',
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/apply-migrations.ts'],
  },
}));
