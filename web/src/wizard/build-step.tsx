// Wizard step 3: POST /v1/builds (draft server + secrets + build in one request), the live log
// over WebSocket, then the MCP URL and install snippets. The build publishes only if every step
// passes; a failure names the step, the reason and the fix.
import { useEffect, useRef, useState } from 'react';
import type { ServerSpec } from '../../../lib/spec/server-spec';
import { ApiFailure, api } from '../api';
import { BuildLog, useBuildLog, type Build } from '../build-log';
import { InstallSnippets } from '../install-snippets';
import { Link } from '../router';
import { ErrorBox, Spinner } from '../ui';
import type { BuildOptions } from './review-step';

type Started = {
  id: string;
  serverId: string;
  server?: { id: string; slug: string; url: string };
  url?: string;
};

function failureOf(b: Build): { message: string; fix?: string; step?: string } {
  if (typeof b.error === 'string') return { message: b.error };
  const e = b.error as { message?: string; fix?: string; step?: string } | null | undefined;
  return { message: e?.message ?? b.reason ?? 'The build failed.', fix: e?.fix, step: e?.step };
}

export function BuildStep(props: {
  spec: ServerSpec;
  secrets: Record<string, string>;
  options: BuildOptions;
  onBack: () => void;
}) {
  const [started, setStarted] = useState<Started>();
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<Build>();
  const [elapsed, setElapsed] = useState<number>();
  const t0 = useRef(0);
  const once = useRef(false);

  useEffect(() => {
    if (once.current) return;
    once.current = true;
    t0.current = performance.now();
    api<Started>('/v1/builds', {
      method: 'POST',
      body: {
        spec: props.spec,
        secrets: props.secrets,
        sampleArgs: props.options.sampleArgs,
        testWrites: props.options.testWrites,
      },
    }).then(setStarted, (err: unknown) =>
      setError(
        err instanceof ApiFailure && err.notAvailable
          ? new Error('Building servers is not available on this platform yet (POST /v1/builds).')
          : err,
      ),
    );
  }, [props.spec, props.secrets, props.options]);

  const { lines } = useBuildLog(started?.id, (b) => {
    setResult(b);
    setElapsed(performance.now() - t0.current);
  });
  const failed = result && result.status !== 'succeeded';
  const failure = failed ? failureOf(result) : undefined;
  const serverId = started?.server?.id ?? started?.serverId;
  const url = result?.url ?? started?.server?.url ?? started?.url;

  return (
    <div>
      {!started && !error && <Spinner label="Starting the build…" />}
      {started && (
        <p className="muted">
          Building <code>{props.spec.slug}</code>: validate → secrets → compile → test each tool →
          publish → smoke test.
        </p>
      )}
      {started && <BuildLog lines={lines} live={!result} />}
      <ErrorBox error={error} />
      {failure && (
        <div className="alert alert-error" role="alert" data-testid="build-failed">
          <strong>
            The build stopped{failure.step ? ` at “${failure.step}”` : ''}. Nothing was published.
          </strong>{' '}
          {failure.message}
          {failure.fix && <p className="fix">What to do: {failure.fix}</p>}
        </div>
      )}
      {(error || failed) && (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={props.onBack}>
            Back to review
          </button>
        </div>
      )}
      {result?.status === 'succeeded' && url && (
        <>
          <div className="alert alert-ok" role="status" data-testid="build-succeeded">
            <strong>{props.spec.name} is live.</strong> Version {result.version ?? '—'} is
            published; every tested tool answered
            {elapsed !== undefined ? ` (${(elapsed / 1000).toFixed(1)} s from start)` : ''}.
          </div>
          <InstallSnippets name={props.spec.name} slug={props.spec.slug} url={url} />
          {serverId && (
            <p>
              <Link href={`/servers/${encodeURIComponent(serverId)}`} className="btn btn-primary">
                Go to the server
              </Link>
            </p>
          )}
        </>
      )}
    </div>
  );
}
