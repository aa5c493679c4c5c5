// Deterministic races on the real D1: `interleave(db, fragment, other)` is `db` itself, except
// that `other()` (another request, another build…) runs to completion just before the first
// statement whose SQL contains `fragment` executes. Every statement still runs on the real
// database; only the moment the competing write lands is chosen, so a read-then-write window
// that concurrent requests in one test isolate never hit by chance is hit every time.
type Exec = 'first' | 'all' | 'run' | 'raw';
const EXECS = new Set<string | symbol>(['first', 'all', 'run', 'raw']);

export function interleave(
  db: D1Database,
  fragment: string,
  other: () => Promise<unknown>,
): D1Database & { raced: () => boolean } {
  let ran = false;
  const once = async () => {
    if (ran) return;
    ran = true;
    await other();
  };
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === 'bind') {
          return (...args: unknown[]) => wrap(target.bind(...args));
        }
        if (EXECS.has(prop)) {
          return async (...args: unknown[]) => {
            await once();
            return (target[prop as Exec] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'raced') return () => ran;
      if (prop === 'prepare') {
        return (sql: string) => {
          const stmt = target.prepare(sql);
          return sql.includes(fragment) ? wrap(stmt) : stmt;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as D1Database & { raced: () => boolean };
}
