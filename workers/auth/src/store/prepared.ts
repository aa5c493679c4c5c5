// Reads on the token endpoint's hot path, built once per binding and isolate. Building a drizzle
// query (walking the SQL tree, quoting, collecting params) cost more CPU per grant than running it
// in the profile of `npm run bench:profile` (docs/benchmarks.md "Token endpoint"); a prepared
// query with `sql.placeholder` values keeps drizzle's typed rows and skips the build.
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { orm } from './orm';

const built = new WeakMap<D1Database, Map<object, unknown>>();

/**
 * `build(orm(db))`, memoised per binding and per `build` function (declare `build` once, at
 * module level, and pass its values as `sql.placeholder`s).
 */
export function prepared<T>(db: D1Database, build: (o: DrizzleD1Database) => T): T {
  let forDb = built.get(db);
  if (!forDb) built.set(db, (forDb = new Map()));
  let query = forDb.get(build) as T | undefined;
  if (query === undefined) forDb.set(build, (query = build(orm(db))));
  return query;
}
