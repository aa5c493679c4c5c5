// A KV namespace that is down: every read and write fails the way workerd reports a KV outage
// ("KV GET failed: 500 …"). Used by the fault tests of both Workers (the runner keeps verifying
// with the keys it cached; the AS fails closed).
const DOWN: Record<string, string> = {
  get: 'GET',
  getWithMetadata: 'GET',
  put: 'PUT',
  delete: 'DELETE',
  list: 'LIST',
};

export function failingKv(kv: KVNamespace): KVNamespace & { calls: () => number } {
  let calls = 0;
  return new Proxy(kv, {
    get(target, prop) {
      if (prop === 'calls') return () => calls;
      const verb = typeof prop === 'string' ? DOWN[prop] : undefined;
      if (verb) {
        return () => {
          calls++;
          return Promise.reject(new Error(`KV ${verb} failed: 500 Internal Server Error`));
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as KVNamespace & { calls: () => number };
}
