import { defineConfig } from 'vitest/config';

// Three rings (STYLE.md "Tests"): lib/ in Node, each Worker in the Workers runtime with real
// D1/KV/DO bindings, and end-to-end tests that start the platform like `npm start` does.
export default defineConfig({
  test: {
    projects: [
      'lib/vitest.config.ts',
      'scripts/vitest.config.ts',
      'workers/auth/vitest.config.ts',
      'workers/runner/vitest.config.ts',
      'test/vitest.config.ts',
    ],
  },
});
