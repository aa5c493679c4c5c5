// Browser origins: the web apps (besides this dashboard) allowed to call the server from a page.
// The list is the ServerSpec field `allowedOrigins`, so a change publishes a new version (PATCH
// /v1/servers/:id is a JSON merge patch, RFC 7396: an array replaces the old one whole).
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorBox, Field } from '../ui';

export function Origins({
  serverId,
  origins,
  onChanged,
}: {
  serverId: string;
  origins: readonly string[];
  onChanged: () => void;
}) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const publish = async (next: string[]) => {
    setBusy(true);
    try {
      await api(`/v1/servers/${encodeURIComponent(serverId)}`, {
        method: 'PATCH',
        body: { allowedOrigins: next },
      });
      setError(undefined);
      setDraft('');
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const add = (e: FormEvent) => {
    e.preventDefault();
    const origin = draft.trim();
    if (!origin) return setError(new Error('Enter an origin such as https://app.example.com.'));
    if (origins.includes(origin)) return setError(new Error(`${origin} is already allowed.`));
    void publish([...origins, origin]);
  };

  return (
    <section aria-labelledby="origins" className="section">
      <div className="section-head">
        <h2 id="origins">Browser origins</h2>
      </div>
      <p className="muted small">
        Web pages on these origins may call this server from a browser (CORS). Any other page gets
        403; this dashboard is always allowed, and clients that are not browsers are unaffected.
        Saving publishes a new version; the runner applies it within seconds.
      </p>
      {origins.length === 0 ? (
        <p className="muted" data-testid="no-origins">
          Only this dashboard (the playground) may call the server from a browser.
        </p>
      ) : (
        <ul className="list" aria-label="Allowed origins">
          {origins.map((o) => (
            <li key={o}>
              <div className="list-row">
                <code>{o}</code>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={busy}
                  aria-label={`Remove ${o}`}
                  onClick={() => void publish(origins.filter((x) => x !== o))}
                >
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} className="inline-form" aria-label="Add a browser origin">
        <Field
          label="Allow an origin"
          id="origin-new"
          hint="Scheme, host and port only, e.g. https://app.example.com or http://localhost:5173."
        >
          <input
            id="origin-new"
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://app.example.com"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </Field>
        <ErrorBox error={error} />
        <button className="btn btn-primary btn-small" disabled={busy}>
          {busy ? 'Publishing…' : 'Allow'}
        </button>
      </form>
    </section>
  );
}
