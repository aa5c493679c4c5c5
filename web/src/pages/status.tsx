// Live probes of the platform, every 10 s: the auth Worker's health, the login page and the runner.
import { useEffect, useState } from 'react';
import type { ServerList } from '../../../lib/api/servers';
import { api } from '../api';

type Probe = {
  name: string;
  url: string;
  state: 'checking' | 'up' | 'down';
  detail: string;
  ms?: number;
};

async function probe(
  name: string,
  url: string,
  expect: (r: Response) => Promise<string>,
): Promise<Probe> {
  const started = performance.now();
  try {
    const res = await fetch(url, { cache: 'no-store', credentials: 'omit' });
    const detail = await expect(res);
    return { name, url, state: 'up', detail, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      name,
      url,
      state: 'down',
      detail: (err as Error).message,
      ms: Math.round(performance.now() - started),
    };
  }
}

/** The runner's origin, from a hosted server's URL when the user has one. */
async function runnerOrigin(): Promise<string | undefined> {
  try {
    const { servers } = await api<ServerList>('/v1/servers');
    const url = servers[0]?.url;
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

async function runAll(): Promise<Probe[]> {
  const runner = await runnerOrigin();
  const probes = [
    probe('Auth API', '/api/health', async (r) => {
      const body = (await r.json()) as { ok?: boolean; down?: string[] };
      if (!r.ok || !body.ok)
        throw new Error(`HTTP ${r.status}${body.down ? `, down: ${body.down.join(', ')}` : ''}`);
      return 'D1 and KV answer';
    }),
    probe('Sign-in page', '/login', async (r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return `HTTP ${r.status}`;
    }),
  ];
  if (runner) {
    probes.push(
      probe('Runner', `${runner}/api/health`, async (r) => {
        const body = (await r.json()) as { ok?: boolean };
        if (!r.ok || !body.ok) throw new Error(`HTTP ${r.status}`);
        return 'serving MCP servers';
      }).then(async (p) => {
        if (p.state === 'up') return p;
        // Another origin: without CORS the body is unreadable, but an opaque answer still
        // proves the runner is reachable.
        const ok = await fetch(`${runner}/api/health`, { mode: 'no-cors', cache: 'no-store' }).then(
          () => true,
          () => false,
        );
        return ok
          ? { ...p, state: 'up' as const, detail: 'reachable (cross-origin, body not readable)' }
          : p;
      }),
    );
  }
  const results = await Promise.all(probes);
  if (!runner) {
    results.push({
      name: 'Runner',
      url: '',
      state: 'checking',
      detail: 'Its origin is known once you have a server (sign in and create one).',
    });
  }
  return results;
}

export default function Status() {
  const [probes, setProbes] = useState<Probe[]>();
  const [at, setAt] = useState<Date>();
  useEffect(() => {
    let live = true;
    const tick = async () => {
      const r = await runAll();
      if (live) {
        setProbes(r);
        setAt(new Date());
      }
    };
    void tick();
    const t = setInterval(tick, 10_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);
  const allUp = probes?.filter((p) => p.url).every((p) => p.state === 'up');
  return (
    <div>
      <h1>Platform status</h1>
      <p className="muted" aria-live="polite">
        {probes ? `Checked ${at?.toLocaleTimeString()} · refreshes every 10 s` : 'Checking…'}
      </p>
      {probes && (
        <p className={`badge ${allUp ? 'badge-ok' : 'badge-bad'}`} data-testid="overall-status">
          {allUp ? 'All systems operational' : 'Something is down'}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">State</th>
            <th scope="col">Detail</th>
            <th scope="col">Latency</th>
          </tr>
        </thead>
        <tbody>
          {(probes ?? []).map((p) => (
            <tr key={p.name}>
              <td>
                {p.name} {p.url && <code className="muted">{p.url}</code>}
              </td>
              <td>
                <span
                  className={`badge ${p.state === 'up' ? 'badge-ok' : p.state === 'down' ? 'badge-bad' : ''}`}
                >
                  {p.state === 'up' ? 'Up' : p.state === 'down' ? 'Down' : 'Unknown'}
                </span>
              </td>
              <td>{p.detail}</td>
              <td>{p.ms !== undefined ? `${p.ms} ms` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
