// Wizard step 3: POST /v1/builds (draft server + secrets + build in one request), the live log
// over WebSocket, then the MCP URL and install snippets. The build publishes only if every step
// passes; a failure names the step, the reason and the fix.
import { useEffect, useRef, useState } from 'react';
import type { BuildOutcome, BuildStarted } from '../../../lib/api/builds';
import type { ServerSpec } from '../../../lib/spec/server-spec';
import { api } from '../api';
import { BuildLog, useBuildLog } from '../build-log';
import { InstallSnippets } from '../install-snippets';
import { Link } from '../router';
import { ErrorBox, Spinner } from '../ui';
import type { BuildOptions } from './review-step';

export function BuildStep(props: {
  spec: ServerSpec;
  secrets: Record<string, string>;
  options: BuildOptions;
  onBack: () => void;
}) {
  const [started, setStarted] = useState<BuildStarted>();
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<BuildOutcome>();
  const [elapsed, setElapsed] = useState<number>();
  const t0 = useRef(0);
  const once = useRef(false);

  useEffect(() => {
    if (once.current) return;
    once.current = true;
    t0.current = performance.now();
    api<BuildStarted>('/v1/builds', {
      method: 'POST',
      body: {
        spec: props.spec,
        secrets: props.secrets,
        sampleArgs: props.options.sampleArgs,
        testWrites: props.options.testWrites,
      },
    }).then(setStarted, setError);
  }, [props.spec, props.secrets, props.options]);

  const { lines } = useBuildLog(started?.id, (b) => {
    setResult(b);
    setElapsed(performance.now() - t0.current);
  });
  const failed = result && result.status !== 'succeeded';
  const failure = failed ? (result.error ?? undefined) : undefined;
  const serverId = started?.serverId;
  const url = started?.url;

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
          <strong>The build stopped at “{failure.step}”. Nothing was published.</strong>{' '}
          {failure.message}
          <p className="fix">What to do: {failure.fix}</p>
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
