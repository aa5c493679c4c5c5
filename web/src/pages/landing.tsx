import { Link } from '../router';
import { useSession } from '../session';

const STEPS = [
  ['Describe', 'Paste an OpenAPI document, write a prompt, or hand over a ServerSpec.'],
  ['Review', 'Rename tools, tighten schemas and scopes, enter the credentials the API needs.'],
  ['Build', 'Every read-only tool is called for real before the version goes live.'],
] as const;

const FEATURES = [
  [
    'OAuth 2.1 at the edge',
    'Moat is the Authorization Server: PKCE, dynamic and metadata-document client registration, resource-bound JWTs checked by every server without a round trip.',
  ],
  [
    'Secrets stay secret',
    'Credentials are envelope-encrypted, injected server-side into headers or bodies, never placed in URLs, logs or responses.',
  ],
  [
    'Egress allowlist',
    'A tool reaches only the hosts its spec names; redirects elsewhere and private addresses are refused.',
  ],
  [
    'Versions and rollback',
    'Every publish is an immutable version with a tool diff; roll back in one click.',
  ],
  [
    'Audit everything',
    'Sign-ins, consents, tokens, builds and every tool call, filterable and exportable.',
  ],
  ['No lock-in', 'Eject any server as a standalone Worker project that still trusts your Moat.'],
] as const;

export default function Landing() {
  const { state } = useSession();
  const signedIn = state.status === 'signed-in';
  return (
    <div className="landing">
      <section className="hero">
        <h1>Turn any API into a hosted MCP server, protected by OAuth 2.1.</h1>
        <p className="lead">
          Describe an API. Moat proposes the tools, tests each one against the real API, and
          publishes a remote MCP server on Cloudflare Workers that Claude, Cursor and VS Code can
          connect to in a minute.
        </p>
        <p className="hero-actions">
          <Link href={signedIn ? '/servers/new' : '/sign-up'} className="btn btn-primary btn-large">
            {signedIn ? 'Create a server' : 'Get started — it is free'}
          </Link>
          <Link href="/docs" className="btn btn-large">
            Read the quickstart
          </Link>
        </p>
      </section>
      <section aria-labelledby="how">
        <h2 id="how">Three steps</h2>
        <ol className="steps">
          {STEPS.map(([title, text], i) => (
            <li key={title} className="card">
              <span className="step-number" aria-hidden="true">
                {i + 1}
              </span>
              <h3>{title}</h3>
              <p>{text}</p>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="why">
        <h2 id="why">Built like a security product</h2>
        <ul className="features">
          {FEATURES.map(([title, text]) => (
            <li key={title}>
              <h3>{title}</h3>
              <p>{text}</p>
            </li>
          ))}
        </ul>
      </section>
      <section className="card cta">
        <h2>Run it yourself</h2>
        <p>
          <code>npm install &amp;&amp; npm start</code> runs the whole platform locally; one command
          deploys it to your Cloudflare account.{' '}
          <Link href="/docs/self-hosting">Self-hosting guide</Link>
        </p>
      </section>
    </div>
  );
}
