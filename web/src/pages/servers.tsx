// Servers list: status, calls in the last 24 h, last error (GET /v1/servers).
import { useEffect, useState } from 'react';
import { ApiFailure, api, listOf } from '../api';
import { Link } from '../router';
import { useSession } from '../session';
import { serverActivity, type Activity } from '../server/activity';
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
  // undefined: loading; null: the audit log is not readable (members, or no audit API).
  const [activity, setActivity] = useState<Map<string, Activity> | null>();
  useEffect(() => {
    if (state.status !== 'signed-in') return;
    api('/v1/servers').then(
      (r) => setServers(listOf<ServerSummary>(r, 'servers')),
      (e) => setError(e),
    );
    serverActivity().then(setActivity, () => setActivity(null));
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
                const a = activity?.get(s.id);
                const lastError = a?.lastError?.message;
                const calls = activity === null ? undefined : activity ? (a?.calls ?? 0) : '…';
                return (
                  <tr key={s.id}>
                    <td>
                      <Link href={`/servers/${encodeURIComponent(s.id)}`}>{s.name ?? s.slug}</Link>
                      <div className="muted small">
                        <code>{s.url ?? s.slug}</code>
                      </div>
                    </td>
                    <td>{statusBadge(s.status ?? (s.version ? 'live' : 'draft'))}</td>
                    <td>{s.currentVersion ?? s.version ?? '—'}</td>
                    <td>{calls ?? '—'}</td>
                    <td className={lastError ? 'text-bad' : 'muted'}>
                      {activity === null ? '—' : (lastError ?? 'none')}
                      {a?.lastError?.at ? (
                        <div className="small muted">{when(a.lastError.at)}</div>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {activity === null && (
            <p className="muted small table-note">
              Calls and errors come from the audit log, which only owners and admins can read.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
