// An unbounded in-memory adapter for oidc-provider in the bench. Its built-in development adapter
// is an LRU of 1,000 entries, which evicts idle refresh chains and grants once a run has issued a
// few thousand tokens (every refresh then answers 400); this one keeps everything for the run.
const store = new Map();
const grants = new Map();

export class MemoryAdapter {
  constructor(model) {
    this.model = model;
  }
  key(id) {
    return `${this.model}:${id}`;
  }
  async upsert(id, payload) {
    store.set(this.key(id), payload);
    if (payload.grantId) {
      const ids = grants.get(payload.grantId) ?? [];
      ids.push(this.key(id));
      grants.set(payload.grantId, ids);
    }
  }
  async find(id) {
    return store.get(this.key(id));
  }
  async findByUid(uid) {
    for (const [k, v] of store) if (k.startsWith(`${this.model}:`) && v.uid === uid) return v;
    return undefined;
  }
  async findByUserCode(userCode) {
    for (const [k, v] of store)
      if (k.startsWith(`${this.model}:`) && v.userCode === userCode) return v;
    return undefined;
  }
  async consume(id) {
    const payload = store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) {
    store.delete(this.key(id));
  }
  async revokeByGrantId(grantId) {
    for (const k of grants.get(grantId) ?? []) store.delete(k);
    grants.delete(grantId);
  }
}
