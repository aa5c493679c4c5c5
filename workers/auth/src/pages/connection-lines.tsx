// The consent page's account lines (issue 13): which downstream accounts the server acts on for
// this user, with which provider scopes, and whether the user will be sent to link them next.
export type ConnectionLine = {
  title: string;
  scopes: string[];
  linked: boolean;
  /** Where the browser goes to link it: the consent form's CSP must allow that redirect. */
  origin: string;
};

export function ConnectionLines(props: { lines: ConnectionLine[] }) {
  if (props.lines.length === 0) return null;
  const toLink = props.lines.filter((l) => !l.linked);
  return (
    <>
      <p>It acts as you on:</p>
      <ul>
        {props.lines.map((l) => (
          <li>
            acts on your {l.title} account
            {l.scopes.length > 0 ? (
              <>
                {' '}
                with: <code>{l.scopes.join(' ')}</code>
              </>
            ) : null}
            {l.linked ? <span class="muted"> (linked)</span> : null}
          </li>
        ))}
      </ul>
      {toLink.length > 0 ? (
        <p class="notice">
          After you allow it, you will sign in to {toLink.map((l) => l.title).join(', then ')} to
          link your account. Moat keeps that account’s token encrypted and never gives it to the
          app.
        </p>
      ) : null}
    </>
  );
}
