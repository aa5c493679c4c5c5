// A D1 binding that fails on purpose: `faultyD1(db, fragment, when)` is the real database `db`,
// except that the first statement (or batch holding a statement) whose SQL contains `fragment`
// fails the way D1 fails when its primary is unreachable. `when: 'before'` fails it without
// running it (an outage); `when: 'after'` runs it on the real database and then fails (the commit
// landed but the answer was lost, as on a timeout). Every other statement runs for real.
type Exec = 'first' | 'all' | 'run' | 'raw';
const EXECS = new Set<string | symbol>(['first', 'all', 'run', 'raw']);

export const D1_OUTAGE = 'D1_ERROR: Network connection lost.';

export type FaultyD1 = D1Database & { tripped: () => boolean };

export function faultyD1(db: D1Database, fragment: string, when: 'before' | 'after'): FaultyD1 {
  let tripped = false;
  const real = new WeakMap<object, { target: D1PreparedStatement; sql: string }>();
  const fail = async <T>(work: () => Promise<T>): Promise<T> => {
    if (tripped) return work();
    tripped = true;
    if (when === 'after') await work();
    throw new Error(D1_OUTAGE);
  };
  const wrap = (target: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = new Proxy(target, {
      get(t, prop) {
        if (prop === 'bind') return (...args: unknown[]) => wrap(t.bind(...args), sql);
        if (EXECS.has(prop) && sql.includes(fragment)) {
          return (...args: unknown[]) =>
            fail(() => (t[prop as Exec] as (...a: unknown[]) => Promise<unknown>).apply(t, args));
        }
        const value = Reflect.get(t, prop, t) as unknown;
        return typeof value === 'function' ? value.bind(t) : value;
      },
    });
    real.set(proxy, { target, sql });
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'tripped') return () => tripped;
      if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === 'batch') {
        return (stmts: D1PreparedStatement[]) => {
          const parts = stmts.map((s) => real.get(s) ?? { target: s, sql: '' });
          const run = () => target.batch(parts.map((p) => p.target));
          return parts.some((p) => p.sql.includes(fragment)) ? fail(run) : run();
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as FaultyD1;
}
