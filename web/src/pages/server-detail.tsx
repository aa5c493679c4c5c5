// One server: URL and install snippets, tools with scopes, versions, secrets, builds, clients.
import { lazy, Suspense, useState } from 'react';
import type { ServerDetail } from '../../../lib/api/servers';
import { toolScopes } from '../../../lib/spec/server-spec';
import { api } from '../api';
import { AlertsSection } from '../server/alerts-section';
import { InstallSnippets } from '../install-snippets';
import { navigate } from '../router';
import { Builds } from '../server/builds';
import { Clients } from '../server/clients';
import { DiscoveryModeSection } from '../server/mode';
import { ServerConnections } from '../server/connections';
import { ServerResources } from '../server/resources';
import { Origins } from '../server/origins';
import { PlaygroundSection } from '../server/playground-section';
import { Secrets } from '../server/secrets';
import { ServerToolsets } from '../server/toolsets';
import { UsageSection } from '../server/usage-section';
import { Versions } from '../server/versions';
import { useSession } from '../session';
import { Table } from '../table';
import { ErrorBox, SignInRequired, Spinner, when } from '../ui';
import { useApi } from '../use-api';
import { serverStatus, statusBadge } from './servers';

const ConnectionAttempts = lazy(() => import('../server/connection-attempts'));

export default function ServerDetailPage({ params }: { params: Record<string, string> }) {
  const { state: session } = useSession();
  const id = params.id!;
  const server = useApi<ServerDetail>(
    session.status === 'signed-in' ? `/v1/servers/${encodeURIComponent(id)}` : undefined,
  );
  const [showInstall, setShowInstall] = useState(false);
  const [error, setError] = useState<unknown>();

  if (session.status === 'loading') return <Spinner label="Loading…" />;
  if (session.status !== 'signed-in') return <SignInRequired />;
  if (server.error) return <ErrorBox error={server.error} />;
  const s = server.data;
  if (!s) return <Spinner label="Loading the server…" />;
  const spec = s.spec;

  const remove = async () => {
    if (
      prompt(
        `Type ${s.slug} to delete this server. Its URL stops answering and clients lose access.`,
      ) !== s.slug
    )
      return;
    try {
      await api(`/v1/servers/${encodeURIComponent(id)}`, { method: 'DELETE' });
      navigate('/servers');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="server-detail">
      <div className="page-head">
        <div>
          <h1>{s.name}</h1>
          <p className="muted">
            {statusBadge(serverStatus(s))} v{s.version ?? '—'} · {s.visibility} · created{' '}
            {when(s.createdAt)}
          </p>
        </div>
        <button type="button" className="btn btn-danger" onClick={remove}>
          Delete
        </button>
      </div>
      <ErrorBox error={error} />
      <div className="mcp-url">
        <span className="muted">MCP URL</span> <code data-testid="mcp-url">{s.url}</code>
        <button
          type="button"
          className="btn btn-small"
          aria-expanded={showInstall}
          onClick={() => setShowInstall(!showInstall)}
        >
          {showInstall ? 'Hide install snippets' : 'Install snippets'}
        </button>
      </div>
      {showInstall && <InstallSnippets name={s.name} slug={s.slug} url={s.url} />}
      {spec?.description && <p>{spec.description}</p>}
      <section aria-labelledby="tools" className="section">
        <h2 id="tools">Tools</h2>
        {!spec ? (
          <p className="muted">No version is published yet: the first build publishes one.</p>
        ) : (
          <Table
            rows={spec.tools}
            rowKey={(t) => t.name}
            empty="This server has no tools."
            columns={[
              {
                header: 'Tool',
                cell: (t) => (
                  <>
                    <code>{t.name}</code>
                    <div className="small muted">{t.description}</div>
                  </>
                ),
              },
              {
                header: 'Call',
                cell: (t) => (
                  <code className="small">
                    {t.http.method} {t.http.url}
                  </code>
                ),
              },
              {
                header: 'Scopes',
                cell: (t) =>
                  toolScopes(t).map((sc) => (
                    <code key={sc} className="code-tag">
                      {sc}
                    </code>
                  )),
              },
            ]}
          />
        )}
      </section>
      <ServerResources spec={spec ?? undefined} />
      <ServerToolsets spec={spec ?? undefined} server={s} />
      {spec && (
        <DiscoveryModeSection serverId={id} spec={spec} onChanged={() => void server.reload()} />
      )}
      {s.version !== null ? <UsageSection serverId={id} /> : null}
      <AlertsSection serverId={id} />
      {s.version !== null ? <PlaygroundSection serverId={id} serverUrl={s.url} /> : null}
      <Versions serverId={id} current={s.version} onChanged={() => void server.reload()} />
      <Secrets serverId={id} />
      {spec?.connections?.length ? <ServerConnections serverId={id} /> : null}
      {spec && (
        <Origins
          serverId={id}
          origins={spec.allowedOrigins ?? []}
          onChanged={() => void server.reload()}
        />
      )}
      <Builds serverId={id} />
      <Clients serverId={id} />
      <Suspense fallback={<Spinner label="Loading connections…" />}>
        <ConnectionAttempts serverId={id} />
      </Suspense>
    </div>
  );
}
