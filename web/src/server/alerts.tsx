// The Alerts section of the server page (GET/PUT/DELETE /v1/servers/:id/alerts): the webhook Moat
// POSTs to when the server's API fails or its errors spike, the rules in plain words, a form to
// set or change the URL (each save issues a new signing secret, shown once), and removal.
import { useState, type FormEvent } from 'react';
import type { AlertSet, AlertStatus } from '../../../lib/api/alerts';
import { webhookUrlShapeProblem } from '../../../lib/api/webhook-url';
import { ALERT_CADENCE, ALERT_RULES } from '../../../lib/observability/alert-rules';
import { api, ApiFailure } from '../api';
import { Link } from '../router';
import { Code, ErrorBox, Field, Spinner, when } from '../ui';
import { useApi } from '../use-api';
import './alerts.css';

/** The form's own check, the API's shape rule (lib/api/webhook-url.ts); the API adds its own. */
export function urlError(value: string): string | undefined {
  if (!value)
    return 'Enter the URL Moat should POST alerts to, e.g. https://hooks.example.com/moat.';
  const problem = webhookUrlShapeProblem(value);
  return problem && `The webhook URL ${problem}.`;
}

export default function Alerts({ serverId }: { serverId: string }) {
  const path = `/v1/servers/${encodeURIComponent(serverId)}/alerts`;
  const state = useApi<AlertStatus>(path);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<AlertSet>();
  const [busy, setBusy] = useState(false);
  const current = state.data?.alert ?? null;
  const fieldError = serverError ?? (touched ? urlError(draft.trim()) : undefined);

  const startEditing = () => {
    setEditing(true);
    setDraft(current?.url ?? '');
    setTouched(false);
    setServerError(undefined);
    setSaved(undefined);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const url = draft.trim();
    if (urlError(url)) return;
    if (
      current &&
      !confirm(
        'Save the webhook? Moat issues a new signing secret: deliveries are signed with it from now on, and the old secret stops verifying.',
      )
    )
      return;
    setBusy(true);
    try {
      const res = await api<AlertSet>(path, { method: 'PUT', body: { url } });
      setSaved(res);
      setEditing(false);
      setError(undefined);
      await state.reload();
    } catch (err) {
      // The API's own rule (https, no private address) refuses the field: say it under the field.
      if (err instanceof ApiFailure && err.code === 'validation_failed')
        setServerError(err.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!current) return;
    if (
      !confirm(
        `Remove the alert webhook ${current.url}? Moat stops sending alerts for this server.`,
      )
    )
      return;
    setBusy(true);
    try {
      await api(path, { method: 'DELETE' });
      setSaved(undefined);
      setEditing(false);
      setError(undefined);
      await state.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const form = (
    <form onSubmit={save} className="alerts-form" noValidate aria-label="Alert webhook">
      <Field
        label="Webhook URL"
        id="alert-url"
        error={fieldError}
        hint="https, reachable from the internet; no user:password@ and no #fragment."
      >
        <input
          id="alert-url"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://hooks.example.com/moat"
          value={draft}
          aria-invalid={!!fieldError}
          aria-describedby={fieldError ? 'alert-url-error' : 'alert-url-hint'}
          onChange={(e) => (setDraft(e.target.value), setServerError(undefined))}
        />
      </Field>
      <div className="actions">
        <button className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : current ? 'Save and issue a new secret' : 'Save webhook'}
        </button>
        {current && (
          <button type="button" className="btn" onClick={() => setEditing(false)}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );

  return (
    <>
      <div className="section-head">
        <h2 id="alerts">Alerts</h2>
      </div>
      {state.error ? (
        <ErrorBox error={state.error} />
      ) : !state.data ? (
        <Spinner label="Loading alerts…" />
      ) : (
        <div data-testid="alerts">
          {current ? (
            <dl className="facts alerts-current" data-testid="alert-current">
              <div className="fact">
                <dt>Sends to</dt>
                <dd>
                  <code data-testid="alert-url">{current.url}</code>
                </dd>
              </div>
              <div className="fact">
                <dt>Set</dt>
                <dd>
                  {when(current.createdAt)}
                  {current.updatedAt !== current.createdAt &&
                    ` · changed ${when(current.updatedAt)}`}
                </dd>
              </div>
            </dl>
          ) : (
            <p className="muted" data-testid="alert-none">
              No alert webhook: nobody is told when this server&apos;s calls go wrong.
            </p>
          )}
          <p className="small">
            {current ? 'Moat POSTs an alert to it when:' : 'With one, Moat POSTs an alert when:'}
          </p>
          <ul className="alerts-rules small">
            {ALERT_RULES.map((r) => (
              <li key={r.type}>
                <strong>{r.title}</strong> (<code>{r.type}</code>): {r.when}.
              </li>
            ))}
          </ul>
          <p className="small muted">
            {ALERT_CADENCE} Each delivery is signed (<code>X-Moat-Signature</code>, HMAC-SHA256);
            see <Link href="/docs/concepts">the docs</Link> for the format.
          </p>
          {saved && (
            <div className="alert alert-ok" role="status" data-testid="alert-secret">
              <p>
                <strong>Copy the signing secret now.</strong> It is not shown again; verify each
                delivery&apos;s <code>X-Moat-Signature</code> with it.
              </p>
              <Code label="Signing secret">{saved.secret}</Code>
            </div>
          )}
          <ErrorBox error={error} />
          {!current || editing ? (
            form
          ) : (
            <div className="actions">
              <button type="button" className="btn" onClick={startEditing} disabled={busy}>
                Change URL or secret
              </button>
              <button type="button" className="btn btn-danger" onClick={remove} disabled={busy}>
                Remove webhook
              </button>
            </div>
          )}
        </div>
      )}
    </>
  );
}
