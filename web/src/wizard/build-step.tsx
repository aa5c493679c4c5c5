// Wizard step 3: create the server, store its secrets, start the build, stream its log, then show
// the MCP URL and install snippets. Nothing is published unless the build succeeds.
import { useEffect, useRef, useState } from 'react';
import type { ServerSpec } from '../../../lib/spec/server-spec';
import { ApiFailure, api } from '../api';
import { BuildLog, useBuildLog, type Build } from '../build-log';
import { InstallSnippets } from '../install-snippets';
import { Link } from '../router';
import { ErrorBox, Spinner } from '../ui';

type Created = { id: string; slug: string; url?: string; build?: { id: string }; buildId?: string };

function reasonOf(b: Build): string {
  if (typeof b.error === 'string') return b.error;
  return (
    [b.error?.message ?? b.reason, b.error?.fix].filter(Boolean).join(' — ') || 'The build failed.'
  );
}

export function BuildStep(props: {
  spec: ServerSpec;
  secrets: Record<string, string>;
  onBack: () => void;
}) {
  const [phase, setPhase] = useState('Creating the server…');
  const [server, setServer] = useState<Created>();
  const [buildId, setBuildId] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<Build>();
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    (async () => {
      const created = await api<Created>('/v1/servers', { method: 'POST', body: props.spec });
      setServer(created);
      const id = encodeURIComponent(created.id);
      for (const [name, value] of Object.entries(props.secrets)) {
        setPhase(`Storing ${name} (encrypted)…`);
        await api(`/v1/servers/${id}/secrets/${encodeURIComponent(name)}`, {
          method: 'PUT',
          body: { value },
        });
      }
      let build = created.build?.id ?? created.buildId;
      if (!build) {
        setPhase('Starting the build…');
        build = (
          await api<{ id: string }>(`/v1/servers/${id}/builds`, { method: 'POST', body: {} })
        ).id;
      }
      setPhase('Building…');
      setBuildId(build);
    })().catch((err: unknown) =>
      setError(
        err instanceof ApiFailure && err.notAvailable
          ? new Error('Creating and building servers is not available on this platform yet.')
          : err,
      ),
    );
  }, [props.spec, props.secrets]);

  const { lines, build } = useBuildLog(buildId, setResult);
  const failed = result && result.status !== 'succeeded';
  const url = result?.url ?? server?.url;

  return (
    <div>
      {!result && !error && <Spinner label={phase} />}
      {buildId && <BuildLog lines={lines} live={!result} />}
      <ErrorBox error={error} />
      {failed && (
        <div className="alert alert-error" role="alert" data-testid="build-failed">
          <strong>The build stopped. Nothing was published.</strong> {reasonOf(result)}
        </div>
      )}
      {(error || failed) && (
        <div className="actions">
          <button type="button" className="btn" onClick={props.onBack}>
            Back to review
          </button>
          {server && (
            <Link href={`/servers/${encodeURIComponent(server.id)}`}>Open the server</Link>
          )}
        </div>
      )}
      {result?.status === 'succeeded' && server && url && (
        <>
          <div className="alert alert-ok" role="status" data-testid="build-succeeded">
            <strong>{props.spec.name} is live.</strong> Every tested tool answered; version{' '}
            {result.version ?? build?.version ?? 1} is published.
          </div>
          <InstallSnippets name={props.spec.name} slug={server.slug} url={url} />
          <p>
            <Link href={`/servers/${encodeURIComponent(server.id)}`} className="btn btn-primary">
              Go to the server
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
