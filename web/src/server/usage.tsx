// The Usage section of the server page (GET /v1/servers/:id/metrics): calls and errors over time,
// p50/p95 latency, and a per-tool table with sparklines, for the last hour, day or week.
import { useState } from 'react';
import {
  METRICS_WINDOWS,
  type ErrorsByKind,
  type MetricsWindow,
  type ServerMetrics,
} from '../../../lib/api/metrics';
import { Table } from '../table';
import { ErrorBox, Spinner } from '../ui';
import { useApi } from '../use-api';
import { CallsChart, LatencyChart, Sparkline } from './usage-charts';
import './usage.css';

const WINDOW_LABELS: Record<MetricsWindow, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
};

const KIND_LABELS: Record<keyof ErrorsByKind, string> = {
  downstream_4xx: 'API 4xx',
  downstream_5xx: 'API 5xx',
  timeout: 'timeout',
  scope_refused: 'scope refused',
  invalid_arguments: 'invalid arguments',
  other: 'other',
};

const ms = (v: number | null) => (v === null ? '—' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);

function errorKinds(e: ErrorsByKind): string {
  return (Object.keys(KIND_LABELS) as (keyof ErrorsByKind)[])
    .filter((k) => e[k] > 0)
    .map((k) => `${e[k]} ${KIND_LABELS[k]}`)
    .join(', ');
}

export default function Usage({ serverId }: { serverId: string }) {
  const [window, setWindow] = useState<MetricsWindow>('24h');
  const metrics = useApi<ServerMetrics>(
    `/v1/servers/${encodeURIComponent(serverId)}/metrics?window=${window}`,
  );
  const m = metrics.data?.window === window ? metrics.data : undefined;
  return (
    <>
      <div className="section-head">
        <h2 id="usage">Usage</h2>
        <div className="usage-windows" role="group" aria-label="Time window">
          {METRICS_WINDOWS.map((w) => (
            <button
              key={w}
              type="button"
              className={`btn btn-small${w === window ? ' usage-window-active' : ''}`}
              aria-pressed={w === window}
              onClick={() => setWindow(w)}
            >
              {w}
            </button>
          ))}
        </div>
      </div>
      {metrics.error ? (
        <ErrorBox error={metrics.error} />
      ) : !m ? (
        <Spinner label="Loading usage…" />
      ) : (
        <div data-testid="usage">
          <dl className="usage-totals">
            <div>
              <dt>Calls</dt>
              <dd data-testid="usage-calls">{m.totals.calls}</dd>
            </div>
            <div>
              <dt>Errors</dt>
              <dd data-testid="usage-errors" title={errorKinds(m.totals.errorsByKind)}>
                {m.totals.errors}
                {m.totals.calls > 0 && (
                  <span className="small muted">
                    {' '}
                    ({Math.round((100 * m.totals.errors) / m.totals.calls)}%)
                  </span>
                )}
              </dd>
            </div>
            <div>
              <dt>p50</dt>
              <dd>{ms(m.totals.p50Ms)}</dd>
            </div>
            <div>
              <dt>p95</dt>
              <dd>{ms(m.totals.p95Ms)}</dd>
            </div>
          </dl>
          {m.totals.calls === 0 ? (
            <p className="muted">
              No tool calls in the {WINDOW_LABELS[window].toLowerCase()}. Calls appear here a few
              seconds after they are made.
            </p>
          ) : (
            <>
              <div className="usage-charts">
                <figure>
                  <figcaption>
                    Calls <span className="usage-key usage-key-calls" /> and errors{' '}
                    <span className="usage-key usage-key-errors" />
                  </figcaption>
                  <CallsChart series={m.series} stepMs={m.stepMs} />
                </figure>
                <figure>
                  <figcaption>
                    Latency (ms) p50 <span className="usage-key usage-key-p50" /> and p95{' '}
                    <span className="usage-key usage-key-p95" />
                  </figcaption>
                  <LatencyChart series={m.series} stepMs={m.stepMs} />
                </figure>
              </div>
              <Table
                testId="usage-tools"
                rows={m.tools}
                rowKey={(t) => t.name}
                empty="No tool calls."
                columns={[
                  { header: 'Tool', cell: (t) => <code>{t.name}</code> },
                  { header: 'Calls', cell: (t) => t.calls, className: 'num' },
                  {
                    header: 'Errors',
                    className: 'num',
                    cell: (t) => (
                      <>
                        {t.errors}
                        {t.errors > 0 && (
                          <div className="small muted">{errorKinds(t.errorsByKind)}</div>
                        )}
                      </>
                    ),
                  },
                  { header: 'p50', cell: (t) => ms(t.p50Ms), className: 'num nowrap' },
                  { header: 'p95', cell: (t) => ms(t.p95Ms), className: 'num nowrap' },
                  {
                    header: 'Trend',
                    cell: (t) => (
                      <Sparkline values={t.spark} label={`${t.name}: calls over time`} />
                    ),
                  },
                ]}
              />
            </>
          )}
        </div>
      )}
    </>
  );
}
