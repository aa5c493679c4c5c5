// The "Connections" section of the server page: the connection recorder's last authorization
// attempts (GET /v1/servers/:id/connection-attempts), filterable by outcome, each with its
// diagnosis and its steps on demand (docs/observability.md "Connection recorder"). Loaded lazily.
import { useState } from 'react';
import type {
  AttemptOutcome,
  AttemptStep,
  ConnectionAttempt,
  ConnectionAttemptList,
} from '../../../lib/api/connection-attempts';
import { Section } from '../section';
import { Table } from '../table';
import { when } from '../ui';
import { useApi } from '../use-api';

const OUTCOME_BADGE: Record<AttemptOutcome, string> = {
  succeeded: 'badge badge-ok',
  failed: 'badge badge-bad',
  in_progress: 'badge',
};

const STEP_NAME: Record<AttemptStep['step'], string> = {
  discovery: 'Discovery',
  registration: 'Registration',
  authorize: 'Authorize',
  login: 'Sign-in',
  consent: 'Consent',
  token: 'Token exchange',
  mcp_request: 'First MCP request',
};

function detailText(d: AttemptStep['detail']): string {
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join(' · ');
}

function Steps({ attempt }: { attempt: ConnectionAttempt }) {
  const start = attempt.startedAt;
  return (
    <details>
      <summary>
        {attempt.steps.length} step{attempt.steps.length === 1 ? '' : 's'}
      </summary>
      <ol className="attempt-steps">
        {attempt.steps.map((s, i) => (
          <li key={i} data-step={s.step} data-ok={s.ok}>
            <span className={s.ok ? 'badge badge-ok' : 'badge badge-bad'}>
              {s.ok ? 'ok' : 'failed'}
            </span>{' '}
            <strong>{STEP_NAME[s.step]}</strong>{' '}
            <span className="muted small">+{((s.at - start) / 1000).toFixed(1)} s</span>
            <div className="small">
              <code>{detailText(s.detail)}</code>
            </div>
          </li>
        ))}
      </ol>
    </details>
  );
}

export default function ConnectionAttempts({ serverId }: { serverId: string }) {
  const [outcome, setOutcome] = useState<'' | AttemptOutcome>('');
  const path = `/v1/servers/${encodeURIComponent(serverId)}/connection-attempts${outcome ? `?outcome=${outcome}` : ''}`;
  const state = useApi<ConnectionAttemptList>(path);
  const filter = (
    <label className="small">
      Outcome{' '}
      <select
        value={outcome}
        onChange={(e) => setOutcome(e.target.value as '' | AttemptOutcome)}
        aria-label="Filter attempts by outcome"
      >
        <option value="">all</option>
        <option value="failed">failed</option>
        <option value="succeeded">succeeded</option>
        <option value="in_progress">in progress</option>
      </select>
    </label>
  );
  return (
    <Section title="Connections" id="connections" state={state} actions={filter}>
      {(data) => (
        <Table
          rows={data.attempts}
          rowKey={(a) => a.id}
          testId="connection-attempts"
          empty={`No connection attempt in the last ${data.retentionDays} days${outcome ? ` with outcome ${outcome}` : ''}.`}
          note={<p className="small muted">Attempts are kept {data.retentionDays} days.</p>}
          columns={[
            { header: 'Started', cell: (a) => when(a.startedAt) },
            {
              header: 'Client',
              cell: (a) => (
                <>
                  {a.clientName ?? a.clientId ?? 'unknown client'}
                  {a.clientName && a.clientId && <div className="small muted">{a.clientId}</div>}
                </>
              ),
            },
            {
              header: 'Outcome',
              cell: (a) => (
                <>
                  <span className={OUTCOME_BADGE[a.outcome]} data-outcome={a.outcome}>
                    {a.outcome.replace('_', ' ')}
                  </span>
                  {a.failedStep && (
                    <div className="small">at {STEP_NAME[a.failedStep].toLowerCase()}</div>
                  )}
                </>
              ),
            },
            {
              header: 'Diagnosis',
              cell: (a) =>
                a.diagnosis ? (
                  <span data-diagnosis={a.diagnosis.code}>{a.diagnosis.message}</span>
                ) : (
                  <span className="muted">—</span>
                ),
            },
          ]}
          detail={(a) => <Steps attempt={a} />}
        />
      )}
    </Section>
  );
}
