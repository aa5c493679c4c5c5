// The server page's Playground section: the client itself (playground.tsx, with the MCP SDK) is a
// separate chunk, fetched when the owner opens it or comes back from signing in.
import { lazy, Suspense, useState } from 'react';
import { Spinner } from '../ui';
import { hasPlaygroundTokens } from './playground-oauth';

const Playground = lazy(() => import('./playground'));

export function PlaygroundSection({
  serverId,
  serverUrl,
}: {
  serverId: string;
  serverUrl: string;
}) {
  const [open, setOpen] = useState(
    () => location.hash === '#playground' || hasPlaygroundTokens(serverUrl),
  );
  return (
    <section aria-labelledby="playground" className="section">
      <div className="section-head">
        <h2 id="playground">Playground</h2>
        {!open && (
          <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>
            Open playground
          </button>
        )}
      </div>
      {open ? (
        <Suspense fallback={<Spinner label="Loading the playground…" />}>
          <Playground serverId={serverId} serverUrl={serverUrl} />
        </Suspense>
      ) : (
        <p className="muted small">
          Try the server from this browser: sign in with OAuth, list its tools and call them.
        </p>
      )}
    </section>
  );
}
