// Servers list: status, calls in the last 24 h, last error (GET /v1/servers).
import { useEffect, useState } from 'react';
import { ApiFailure, api, listOf } from '../api';
import { Link } from '../router';
import { useSession } from '../session';
import { Empty, ErrorBox, NotAvailable, SignInRequired, Spinner, when } from '../ui';

export type ServerSummary = {
  id: string;
  slug: string;
  name?: string;
  url?: string;
  status?: string;
  version?: number;
  currentVersion?: number;
  visibility?: string;
  calls24h?: number;
  callsLast24h?: number;
  lastError?: string | { message?: string; at?: string | number } | null;
  updatedAt?: string | number;
};

export function statusBadge(status: string | undefined) {
  const s = status ?? 'unknown';
  const tone = ['live', 'published', 'active', 'succeeded'].includes(s)
    ? 'badge-ok'
    : ['failed', 'error'].includes(s)
      ? 'badge-bad'
      : 'badge-warn';
  return <span className={`badge ${tone}`}>{s}</span>;
}

export default function Servers() {
  const { state } = useSession();
  const [servers, setServers] = useState<ServerSummary[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (state.status !== 'signed-in') return;
    api('/v1/servers').then(
      (r) => setServers(listOf<ServerSummary>(r, 'servers')),
      (e) => setError(e),
    );
  }, [state.status]);

  if (state.status === 'loading') return <Spinner label="Loading…" />;
  if (state.status !== 'signed-in') return <SignInRequired />;
  return (
    <div>
      <div className="page-head">
        <h1>Servers</h1>
        <Link href="/servers/new" className="btn btn-primary">
          New server
        </Link>
      </div>
      {error instanceof ApiFailure && error.notAvailable ? (
        <NotAvailable what="The servers API" />
      ) : error ? (
        <ErrorBox error={error} />
      ) : !servers ? (
        <Spinner label="Loading servers…" />
      ) : servers.length === 0 ? (
        <Empty title="No servers yet">
          <p>
            Create your first MCP server from an OpenAPI document, a prompt or a ServerSpec. It
            takes about a minute.
          </p>
          <Link href="/servers/new" className="btn btn-primary">
            Create a server
          </Link>
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Server</th>
                <th scope="col">Status</th>
                <th scope="col">Version</th>
                <th scope="col">Calls (24 h)</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {servers.map((s) => {
                const lastError =
                  typeof s.lastError === 'string' ? s.lastError : s.lastError?.message;
                const calls = s.calls24h ?? s.callsLast24h;
                return (
                  <tr key={s.id}>
                    <td>
                      <Link href={`/servers/${encodeURIComponent(s.id)}`}>{s.name ?? s.slug}</Link>
                      <div className="muted small">
                        <code>{s.url ?? s.slug}</code>
                      </div>
                    </td>
                    <td>{statusBadge(s.status)}</td>
                    <td>{s.currentVersion ?? s.version ?? '—'}</td>
                    <td>{calls ?? '—'}</td>
                    <td className={lastError ? 'text-bad' : 'muted'}>
                      {lastError ?? 'none'}
                      {typeof s.lastError === 'object' && s.lastError?.at ? (
                        <div className="small muted">{when(s.lastError.at)}</div>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
