import { defineConfig } from 'vitest/config';

// Three rings (STYLE.md "Tests"): lib/ in Node, each Worker in the Workers runtime with real
// D1/KV/DO bindings, and end-to-end tests that start the platform like `npm start` does.
export default defineConfig({
  test: {
    // Most of a test file's time is waiting on workerd (start-up, D1, KV), not CPU: measured on 2
    // cores, 4 workers ran the suite in 386 s against 446 s with vitest's default (docs/decisions.md).
    maxWorkers: 4,
    projects: [
      'lib/vitest.config.ts',
      'scripts/vitest.config.ts',
      'workers/auth/vitest.config.ts',
      'workers/runner/vitest.config.ts',
      'test/vitest.config.ts',
    ],
  },
});
