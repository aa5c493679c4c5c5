// Audit log: filter by action, actor, resource and time; cursor paging; metadata JSON; CSV export.
import { useEffect, useState, type FormEvent } from 'react';
import type { AuditEvent, AuditPage } from '../../../lib/api/audit';
import { api } from '../api';
import { useSession } from '../session';
import { Table } from '../table';
import { Empty, ErrorBox, Field, SignInRequired, Spinner, when } from '../ui';

type Filters = { action: string; actor: string; resource: string; since: string; until: string };
const EMPTY: Filters = { action: '', actor: '', resource: '', since: '', until: '' };

function query(f: Filters, cursor?: string): string {
  const q = new URLSearchParams();
  for (const k of ['action', 'actor', 'resource'] as const) if (f[k].trim()) q.set(k, f[k].trim());
  if (f.since) q.set('since', new Date(f.since).toISOString());
  if (f.until) q.set('until', new Date(f.until).toISOString());
  if (cursor) q.set('cursor', cursor);
  const s = q.toString();
  return `/v1/audit${s ? `?${s}` : ''}`;
}

const csvCell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export default function Audit() {
  const { state } = useSession();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [events, setEvents] = useState<AuditEvent[]>();
  const [next, setNext] = useState<string | null>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string>();
  const rangeError =
    draft.since && draft.until && draft.since > draft.until
      ? '“From” must be before “to”.'
      : undefined;

  const load = async (f: Filters, cursor?: string) => {
    setBusy(true);
    try {
      const page = await api<AuditPage>(query(f, cursor));
      setEvents((cur) => (cursor ? [...(cur ?? []), ...page.events] : page.events));
      setNext(page.nextCursor);
      setError(undefined);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (state.status === 'signed-in') void load(filters);
  }, [state.status, filters]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!rangeError) setFilters(draft);
  };
  const exportCsv = async () => {
    setBusy(true);
    try {
      const all: AuditEvent[] = [];
      let cursor: string | undefined;
      // Bounded: at most 50 pages per export.
      for (let i = 0; i < 50; i++) {
        const page = await api<AuditPage>(query(filters, cursor));
        all.push(...page.events);
        cursor = page.nextCursor ?? undefined;
        if (!cursor) break;
      }
      const head = ['time', 'action', 'actor', 'resource', 'ip', 'metadata'];
      const rows = all.map((e) =>
        [e.ts, e.action, e.actor, e.resource, e.ip, e.metadata].map(csvCell).join(','),
      );
      const blob = new Blob([[head.join(','), ...rows].join('\n') + '\n'], { type: 'text/csv' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `moat-audit-${new Date().toISOString().slice(0, 10)}.csv`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (state.status === 'loading') return <Spinner label="Loading…" />;
  if (state.status !== 'signed-in') return <SignInRequired />;
  return (
    <div>
      <div className="page-head">
        <h1>Audit log</h1>
        <button
          type="button"
          className="btn"
          onClick={exportCsv}
          disabled={busy || !events?.length}
        >
          Export CSV
        </button>
      </div>
      <form className="filters" onSubmit={apply} aria-label="Filter the audit log">
        <Field label="Action" id="f-action" hint="e.g. user.login or oauth.">
          <input
            id="f-action"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          />
        </Field>
        <Field label="Actor" id="f-actor">
          <input
            id="f-actor"
            value={draft.actor}
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
          />
        </Field>
        <Field label="Resource" id="f-resource">
          <input
            id="f-resource"
            value={draft.resource}
            onChange={(e) => setDraft({ ...draft, resource: e.target.value })}
          />
        </Field>
        <Field label="From" id="f-since">
          <input
            id="f-since"
            type="datetime-local"
            value={draft.since}
            onChange={(e) => setDraft({ ...draft, since: e.target.value })}
          />
        </Field>
        <Field label="To" id="f-until" error={rangeError}>
          <input
            id="f-until"
            type="datetime-local"
            value={draft.until}
            onChange={(e) => setDraft({ ...draft, until: e.target.value })}
          />
        </Field>
        <div className="actions">
          <button className="btn btn-primary">Apply</button>
          <button
            type="button"
            className="btn"
            onClick={() => (setDraft(EMPTY), setFilters(EMPTY))}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {!events ? (
        <Spinner label="Loading events…" />
      ) : (
        <Table<AuditEvent>
          rows={events}
          rowKey={(e) => e.id}
          testId="audit-table"
          empty={
            <Empty title="No events match">
              <p>
                Clear the filters, or sign in, create a server or connect a client to generate
                events.
              </p>
            </Empty>
          }
          columns={[
            { header: 'Time', cell: (e) => when(e.ts), className: 'nowrap' },
            { header: 'Action', cell: (e) => <code>{e.action}</code> },
            { header: 'Actor', cell: (e) => e.actor ?? '—', className: 'small' },
            { header: 'Resource', cell: (e) => e.resource ?? '—', className: 'small' },
            {
              header: 'Metadata',
              cell: (e) =>
                e.metadata ? (
                  <>
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-expanded={open === e.id}
                      onClick={() => setOpen(open === e.id ? undefined : e.id)}
                    >
                      {open === e.id ? 'Hide' : 'Show'} JSON
                    </button>
                    {open === e.id && (
                      <pre className="json">{JSON.stringify(e.metadata, null, 2)}</pre>
                    )}
                  </>
                ) : (
                  <span className="muted">—</span>
                ),
            },
          ]}
        />
      )}
      {next && (
        <p>
          <button type="button" className="btn" disabled={busy} onClick={() => load(filters, next)}>
            {busy ? 'Loading…' : 'Load older events'}
          </button>
        </p>
      )}
    </div>
  );
}
