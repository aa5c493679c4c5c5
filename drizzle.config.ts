import { defineConfig } from 'drizzle-kit';

// SQL only: migrations are applied by wrangler (`migrations_dir`) and by scripts/start.mjs.
export default defineConfig({
  dialect: 'sqlite',
  schema: './lib/db/schema.ts',
  out: './migrations',
});
