// The typed query builder over the D1 binding (docs/decisions.md "2026-12-02 — The store reads
// through drizzle"). Reads use it so rows come back as the schema's `$inferSelect` types; writes
// stay D1 prepared statements, because callers compose them into one `D1Database.batch` with
// guarded compare-and-set SQL (drizzle's own batch accepts only drizzle queries).
import { type DrizzleD1Database, drizzle } from 'drizzle-orm/d1';

const instances = new WeakMap<D1Database, DrizzleD1Database>();

/** The query builder for this binding (one per binding and isolate). */
export function orm(db: D1Database): DrizzleD1Database {
  let instance = instances.get(db);
  if (!instance) {
    instance = drizzle(db);
    instances.set(db, instance);
  }
  return instance;
}
