import { defineConfig } from 'vitest/config';

// The scripts' own logic (e.g. how the test command finds its browser), in Node.
export default defineConfig({
  test: {
    name: 'scripts',
    environment: 'node',
    include: ['**/*.test.ts'],
  },
});
