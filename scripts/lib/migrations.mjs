// Applies migrations/*.sql to a D1 database, recording them in `d1_migrations` exactly as
// `wrangler d1 migrations apply` does, so either tool can take over from the other.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unstable_splitSqlQuery } from 'wrangler';
import { root } from './workers.mjs';

export async function applyMigrations(db, log = () => {}) {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);',
  );
  const { results } = await db.prepare('SELECT name FROM d1_migrations').all();
  const done = new Set(results.map((r) => r.name));
  const dir = join(root, 'migrations');
  const pending = readdirSync(dir)
    .filter((f) => /^\d+_.*\.sql$/.test(f) && !done.has(f))
    .sort();
  for (const name of pending) {
    const statements = unstable_splitSqlQuery(readFileSync(join(dir, name), 'utf8'))
      .map((s) => s.replace(/--> statement-breakpoint/g, '').trim())
      .filter(Boolean);
    // One batch: a migration is applied whole or not at all.
    await db.batch([
      ...statements.map((s) => db.prepare(s)),
      db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(name),
    ]);
    log(`  migration ${name} applied`);
  }
  return pending.length;
}
