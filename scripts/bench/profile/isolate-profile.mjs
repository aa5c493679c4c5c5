// CPU profiles of one workerd isolate over the Chrome DevTools Protocol, for the benches' profilers
// (scripts/bench/runner-profile.mjs). workerd's inspector (Miniflare's `inspectorPort`) lists one
// target per isolate at GET /json; `profileIsolate` attaches to the one `match` picks, runs
// `load` between Profiler.start and Profiler.stop, and returns the V8 CPU profile
// (https://chromedevtools.github.io/devtools-protocol/tot/Profiler/). No I/O in `summarizeProfile`.
import WebSocket from 'ws';

/** The isolates workerd's inspector lists: [{ id, title, webSocketDebuggerUrl, … }]. */
export async function listIsolates(inspectorPort) {
  const res = await fetch(`http://127.0.0.1:${inspectorPort}/json`);
  return res.json();
}

/** A CDP session on one target: `send(method, params)` → result. */
async function connect(url) {
  const ws = new WebSocket(url);
  await new Promise((ok, fail) => {
    ws.once('open', ok);
    ws.once('error', fail);
  });
  let nextId = 1;
  const pending = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`${msg.error.message} (${msg.error.code})`));
    else p.resolve(msg.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}

/**
 * Profiles the isolate `match(target)` picks while `load()` runs. `intervalUs`: the sampling
 * interval (V8's default is 1000 µs; 100 µs resolves a 2 ms request into ~20 samples).
 */
export async function profileIsolate({ inspectorPort, match, load, intervalUs = 100 }) {
  const targets = await listIsolates(inspectorPort);
  const target = targets.find(match);
  if (!target)
    throw new Error(`no isolate matched among: ${targets.map((t) => t.title).join(', ')}`);
  const cdp = await connect(target.webSocketDebuggerUrl);
  try {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
    await cdp.send('Profiler.start');
    const loaded = await load();
    const { profile } = await cdp.send('Profiler.stop');
    return { profile, loaded };
  } finally {
    cdp.close();
  }
}

const GENERIC = new Set(['(program)', '(idle)', '(garbage collector)', '(root)']);

/** `name file:line` of a profile node's frame (line 1-based, in the bundle the isolate runs). */
function frameKey({ callFrame: f }) {
  if (GENERIC.has(f.functionName)) return f.functionName;
  const file = f.url ? f.url.split('/').slice(-2).join('/') : '(native)';
  return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
}

/**
 * Self and inclusive time (ms) per frame over the whole profile, the `top` largest of each.
 * Inclusive time counts a sample once per frame on its stack (recursion is not double-counted).
 * `(idle)` is time the isolate waited (I/O): reported apart, not in `busyMs`.
 */
export function summarizeProfile(profile, { top = 25 } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const inclusive = new Map();
  let idleMs = 0;
  let busyMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(id);
    const key = frameKey(node);
    if (key === '(idle)') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    self.set(key, (self.get(key) ?? 0) + ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = frameKey(byId.get(at));
      if (k === '(root)' || seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
    }
  });
  const largest = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, ms]) => ({ frame, ms }));
  return { busyMs, idleMs, self: largest(self), inclusive: largest(inclusive) };
}
