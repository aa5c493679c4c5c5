// One server: URL and install snippets, tools with scopes, versions, secrets, builds, clients.
import { useState } from 'react';
import { toolScopes, type ServerSpecInput } from '../../../lib/spec/server-spec';
import { ApiFailure, api } from '../api';
import { InstallSnippets } from '../install-snippets';
import { navigate } from '../router';
import { Builds } from '../server/builds';
import { Clients } from '../server/clients';
import { Origins } from '../server/origins';
import { PlaygroundSection } from '../server/playground-section';
import { Secrets } from '../server/secrets';
import { Versions } from '../server/versions';
import { useSession } from '../session';
import { ErrorBox, NotAvailable, SignInRequired, Spinner, when } from '../ui';
import { useApi } from '../use-api';
import { statusBadge, type ServerSummary } from './servers';

type ServerDetail = ServerSummary & { spec?: ServerSpecInput; createdAt?: string | number };

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
  if (server.error instanceof ApiFailure && server.error.notAvailable)
    return <NotAvailable what="The servers API" />;
  if (server.error) return <ErrorBox error={server.error} />;
  const s = server.data;
  if (!s) return <Spinner label="Loading the server…" />;
  const spec = s.spec;
  const current = s.currentVersion ?? s.version;

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
          <h1>{s.name ?? s.slug}</h1>
          <p className="muted">
            {statusBadge(s.status ?? (current ? 'live' : 'draft'))} v{current ?? '—'} ·{' '}
            {s.visibility ?? spec?.visibility ?? 'private'} · created {when(s.createdAt)}
          </p>
        </div>
        <button type="button" className="btn btn-danger" onClick={remove}>
          Delete
        </button>
      </div>
      <ErrorBox error={error} />
      {s.url && (
        <>
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
          {showInstall && <InstallSnippets name={s.name ?? s.slug} slug={s.slug} url={s.url} />}
        </>
      )}
      {spec?.description && <p>{spec.description}</p>}
      <section aria-labelledby="tools" className="section">
        <h2 id="tools">Tools</h2>
        {!spec ? (
          <p className="muted">The live spec is not included in this server's API response.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Tool</th>
                  <th scope="col">Call</th>
                  <th scope="col">Scopes</th>
                </tr>
              </thead>
              <tbody>
                {spec.tools.map((t) => (
                  <tr key={t.name}>
                    <td>
                      <code>{t.name}</code>
                      <div className="small muted">{t.description}</div>
                    </td>
                    <td>
                      <code className="small">
                        {t.http.method} {t.http.url}
                      </code>
                    </td>
                    <td>
                      {toolScopes(t).map((sc) => (
                        <code key={sc} className="code-tag">
                          {sc}
                        </code>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {s.url && current ? <PlaygroundSection serverId={id} serverUrl={s.url} /> : null}
      <Versions serverId={id} current={current} onChanged={() => void server.reload()} />
      <Secrets serverId={id} declared={spec?.secrets ?? []} />
      {spec && (
        <Origins
          serverId={id}
          origins={spec.allowedOrigins ?? []}
          onChanged={() => void server.reload()}
        />
      )}
      <Builds serverId={id} />
      <Clients serverId={id} />
    </div>
  );
}
