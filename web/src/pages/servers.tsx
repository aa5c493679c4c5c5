// Servers list: status, calls in the last 24 h, last error (GET /v1/servers).
import { useEffect, useState } from 'react';
import type { ServerList, ServerSummary } from '../../../lib/api/servers';
import { api } from '../api';
import { Link } from '../router';
import { useSession } from '../session';
import { serverActivity, type Activity } from '../server/activity';
import { Table } from '../table';
import { Empty, ErrorBox, SignInRequired, Spinner, when } from '../ui';

export function statusBadge(status: string) {
  const tone = ['live', 'succeeded'].includes(status)
    ? 'badge-ok'
    : status === 'failed'
      ? 'badge-bad'
      : 'badge-warn';
  return <span className={`badge ${tone}`}>{status}</span>;
}

/** A server serves once a version is published; before that it is a draft. */
export const serverStatus = (s: Pick<ServerSummary, 'version'>) => (s.version ? 'live' : 'draft');

export default function Servers() {
  const { state } = useSession();
  const [servers, setServers] = useState<ServerSummary[]>();
  const [error, setError] = useState<unknown>();
  // undefined: loading; null: the audit log is not readable (members).
  const [activity, setActivity] = useState<Map<string, Activity> | null>();
  useEffect(() => {
    if (state.status !== 'signed-in') return;
    api<ServerList>('/v1/servers').then(
      (r) => setServers(r.servers),
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
      {error ? (
        <ErrorBox error={error} />
      ) : !servers ? (
        <Spinner label="Loading servers…" />
      ) : (
        <Table
          rows={servers}
          rowKey={(s) => s.id}
          empty={
            <Empty title="No servers yet">
              <p>
                Create your first MCP server from an OpenAPI document, a prompt or a ServerSpec. It
                takes about a minute.
              </p>
              <Link href="/servers/new" className="btn btn-primary">
                Create a server
              </Link>
            </Empty>
          }
          columns={[
            {
              header: 'Server',
              cell: (s) => (
                <>
                  <Link href={`/servers/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                  <div className="muted small">
                    <code>{s.url}</code>
                  </div>
                </>
              ),
            },
            { header: 'Status', cell: (s) => statusBadge(serverStatus(s)) },
            { header: 'Version', cell: (s) => s.version ?? '—' },
            {
              header: 'Calls (24 h)',
              cell: (s) =>
                activity === null ? '—' : activity ? (activity.get(s.id)?.calls ?? 0) : '…',
            },
            {
              header: 'Last error',
              cell: (s) => {
                const lastError = activity?.get(s.id)?.lastError;
                return (
                  <span className={lastError ? 'text-bad' : 'muted'}>
                    {activity === null ? '—' : (lastError?.message ?? 'none')}
                    {lastError && <div className="small muted">{when(lastError.at)}</div>}
                  </span>
                );
              },
            },
          ]}
          note={
            activity === null &&
            'Calls and errors come from the audit log, which only owners and admins can read.'
          }
        />
      )}
    </div>
  );
}
