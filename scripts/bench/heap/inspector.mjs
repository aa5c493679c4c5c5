// The V8 inspector of a workerd started with an inspector port (Miniflare `inspectorPort`): one
// target per isolate (`GET /json`: our Workers, each Durable Object class's Worker, Miniflare's
// own Workers — the D1, KV and cache simulators run as Durable Objects inside `d1:db`, `kv:ns`…).
// Chrome DevTools Protocol over the `ws` package: heap usage after a full GC, heap snapshots.
import { WebSocket } from 'ws';

/** The isolates workerd serves the inspector for: `[{ id, url }]` (`id` is the Worker's name). */
export async function listIsolates(port) {
  const list = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  return list.map((t) => ({ id: t.id, url: t.webSocketDebuggerUrl }));
}

/** A CDP session on one isolate: `send(method, params)` → result; `on(method, fn)` for events. */
export async function connect(url) {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 2 ** 31 });
  await new Promise((ok, fail) => {
    ws.once('open', ok);
    ws.once('error', fail);
  });
  let next = 1;
  const pending = new Map();
  const listeners = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.fail(new Error(`${msg.error.message} (${msg.error.code})`));
      else p?.ok(msg.result);
    } else listeners.get(msg.method)?.(msg.params);
  });
  return {
    send: (method, params = {}) =>
      new Promise((ok, fail) => {
        const id = next++;
        pending.set(id, { ok, fail });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    on: (method, fn) => listeners.set(method, fn),
    close: () => ws.close(),
  };
}

/** A heap snapshot's raw JSON text. V8 runs a full GC before it takes one; this is the forced GC
 *  here, because workerd (1.20261117) never answers `HeapProfiler.collectGarbage`. */
async function snapshotText(session) {
  const chunks = [];
  session.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
  await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  session.on('HeapProfiler.addHeapSnapshotChunk', () => {});
  return chunks.join('');
}

/** The isolate's JS heap as found, MB: `committed` (V8's heap pages, garbage included), `used`. */
export async function heapUsage(session) {
  const { usedSize, totalSize } = await session.send('Runtime.getHeapUsage');
  return { committed: totalSize / 2 ** 20, used: usedSize / 2 ** 20 };
}

/** A heap snapshot (so after a full GC) summarised as constructor → `{ count, bytes }`; its
 *  `live` total, MB, is the heap in use after that GC. */
export async function heapByConstructor(session) {
  const { snapshot, nodes, strings } = JSON.parse(await snapshotText(session));
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byName = new Map();
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + typeAt]];
    // Objects by constructor, workerd's API objects by class (`native`); the rest by type.
    const named = type === 'object' || type === 'closure' || type === 'native';
    const key = named ? strings[nodes[i + nameAt]] : `(${type})`;
    const row = byName.get(key) ?? { count: 0, bytes: 0 };
    row.count++;
    row.bytes += nodes[i + sizeAt];
    byName.set(key, row);
  }
  let live = 0;
  for (const row of byName.values()) live += row.bytes;
  return Object.assign(byName, { live: live / 2 ** 20 });
}

/** Constructors that grew between two summaries, largest growth in bytes first. */
export function growth(before, after, top = 15) {
  const rows = [];
  for (const [name, a] of after) {
    const b = before.get(name) ?? { count: 0, bytes: 0 };
    if (a.bytes > b.bytes) rows.push({ name, count: a.count - b.count, bytes: a.bytes - b.bytes });
  }
  return rows.sort((x, y) => y.bytes - x.bytes).slice(0, top);
}
