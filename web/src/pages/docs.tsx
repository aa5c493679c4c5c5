// Docs: quickstart, MCP concepts, the OAuth 2.1 flow, authoring tools (ServerSpec reference
// generated from the schema), self-hosting, API reference, FAQ.
import { lazy, Suspense, type ReactNode } from 'react';
import { Link } from '../router';
import { Code, Spinner } from '../ui';
import { LiveTranscript } from '../docs/oauth-transcript';
import { PrimitivesGuide } from '../docs/primitives-guide';

const SpecReference = lazy(() =>
  import('../docs/spec-reference').then((m) => ({ default: m.SpecReference })),
);

const ApiReference = lazy(() =>
  import('../docs/api-reference').then((m) => ({ default: m.ApiReference })),
);

const origin = location.origin;
const TOPICS: [string, string][] = [
  ['quickstart', 'Quickstart'],
  ['concepts', 'MCP concepts'],
  ['oauth', 'The OAuth 2.1 flow'],
  ['authoring', 'Authoring tools'],
  ['self-hosting', 'Self-hosting and deploy'],
  ['api', 'API reference'],
  ['faq', 'FAQ'],
];

function H2({ children }: { children: ReactNode }) {
  return <h2>{children}</h2>;
}

function Topic({ id }: { id: string }) {
  switch (id) {
    case 'quickstart':
      return (
        <>
          <p>From nothing to a hosted MCP server your AI client can call, in a few minutes.</p>
          <ol>
            <li>
              <Link href="/sign-up">Create an account</Link>, then choose{' '}
              <Link href="/servers/new">New server</Link>.
            </li>
            <li>
              <strong>Describe</strong> the API: upload an OpenAPI document, write a prompt, or
              paste a ServerSpec. Pick a slug; it becomes part of the URL.
            </li>
            <li>
              <strong>Review</strong> the tools: rename them, tighten descriptions, schemas and
              scopes, and enter the credentials the API needs. They are encrypted and injected
              server-side.
            </li>
            <li>
              <strong>Build</strong>: Moat validates the spec, calls each read-only tool once for
              real, publishes the version and smoke-tests the live URL. Watch the log as it happens.
            </li>
            <li>
              Copy the install snippet for your client. The client signs you in with OAuth the first
              time.
            </li>
          </ol>
          <Code label="Claude Code">{`claude mcp add --transport http weather ${origin.replace(/:\d+$/, ':8788')}/weather/mcp`}</Code>
          <p>
            Prefer a terminal? Everything the dashboard does is in the{' '}
            <Link href="/docs/api">/v1 API</Link> and the <code>moat</code> CLI.
          </p>
        </>
      );
    case 'concepts':
      return (
        <>
          <p>
            The <a href="https://modelcontextprotocol.io">Model Context Protocol</a> lets AI
            applications call
            <strong> tools</strong> exposed by <strong>servers</strong>. A remote server speaks the
            Streamable HTTP transport at one URL; Moat's is{' '}
            <code>{'{RUNNER_ORIGIN}/{slug}/mcp'}</code>.
          </p>
          <H2>Tools</H2>
          <p>
            Each tool has a name, a description the model reads, a JSON Schema for its arguments and
            annotations (<code>readOnlyHint</code>, <code>destructiveHint</code>) that decide its
            default scope: read-only tools need <code>mcp:read</code>, destructive ones{' '}
            <code>mcp:admin</code>, the rest <code>mcp:write</code>.
          </p>
          <H2>Protocol versions</H2>
          <p>
            Every server speaks both MCP 2026-07-28 and 2025-11-25 on the same URL. A 2026-07-28
            client discovers the server with <code>server/discover</code> and sends each request on
            its own, with no session. A 2025-11-25 client starts with <code>initialize</code>; its
            session is one Durable Object bound to the signed-in user and client. Either way it
            lists tools with <code>tools/list</code> and calls them with <code>tools/call</code>,
            under the same scopes, secrets and audit.
          </p>
          <H2>Authorization</H2>
          <p>
            Every server is an OAuth 2.1 resource server; Moat is its authorization server. Clients
            discover it from the server's protected resource metadata. See{' '}
            <Link href="/docs/oauth">the OAuth flow</Link>.
          </p>
          <H2>Browser clients and the playground</H2>
          <p>
            A web page may call a server from the browser when its origin is in the server's{' '}
            <code>allowedOrigins</code> (edit them under <em>Browser origins</em> on the server
            page): it gets CORS answers, preflights included; any other page gets 403, a defence
            against DNS rebinding. This dashboard is always allowed, and native clients (which send
            no <code>Origin</code>) are unaffected. The server page's <em>Playground</em> is such a
            browser client: it signs in with OAuth like any other, lists the tools your token allows
            and calls them from a form.
          </p>
        </>
      );
    case 'oauth':
      return (
        <>
          <p>
            These transcripts are requested live from this platform ({origin}) as the page loads:
            they are the responses your MCP client receives.
          </p>
          <H2>1. The server challenges an anonymous request</H2>
          <p>
            A request without a token gets <code>401</code> with{' '}
            <code>
              WWW-Authenticate: Bearer
              resource_metadata="…/.well-known/oauth-protected-resource/&lt;slug&gt;/mcp"
            </code>{' '}
            (RFC 9728 §5.1), naming the document that names the authorization server.
          </p>
          <H2>2. Authorization server metadata (RFC 8414)</H2>
          <LiveTranscript path="/.well-known/oauth-authorization-server" label="AS metadata" />
          <H2>3. Signing keys</H2>
          <LiveTranscript path="/.well-known/jwks.json" label="JWKS" />
          <H2>4. Register the client (RFC 7591)</H2>
          <Code label="register">{`$ curl -s ${origin}/register -H 'content-type: application/json' \\
  -d '{"client_name":"My agent","redirect_uris":["http://127.0.0.1:33418/callback"],"token_endpoint_auth_method":"none"}'`}</Code>
          <H2>5. Authorize with PKCE (S256) and a resource indicator (RFC 8707)</H2>
          <Code label="authorize">{`${origin}/authorize?response_type=code&client_id=cl_…&redirect_uri=http%3A%2F%2F127.0.0.1%3A33418%2Fcallback
  &code_challenge=<BASE64URL(SHA256(verifier))>&code_challenge_method=S256&state=<random>
  &scope=mcp%3Aread&resource=<the server's MCP URL>`}</Code>
          <p>
            The user signs in on <code>/login</code>, approves on <code>/consent</code>, and the
            browser returns to the redirect URI with <code>code</code>, <code>state</code> and{' '}
            <code>iss</code> (RFC 9207).
          </p>
          <H2>6. Exchange the code</H2>
          <Code label="token">{`$ curl -s ${origin}/token -d grant_type=authorization_code -d code=<code> \\
  -d redirect_uri=http://127.0.0.1:33418/callback -d client_id=cl_… -d code_verifier=<verifier> \\
  -d resource=<the server's MCP URL>`}</Code>
          <p>
            The answer is an RS256 JWT (<code>typ: at+jwt</code>, RFC 9068) whose <code>aud</code>{' '}
            is exactly the server's URL, plus a refresh token that rotates on every use. The runner
            checks the JWT against the JWKS above without calling back to the authorization server.
            It, <code>/introspect</code> and the <code>/v1</code> API apply one rule: RS256 and{' '}
            <code>at+jwt</code> only, <code>iss</code>, exactly one <code>aud</code>, the RFC 9068
            claims plus <code>server_id</code>, and 30 s of clock leeway on <code>exp</code>,{' '}
            <code>nbf</code> and <code>iat</code>.
          </p>
        </>
      );
    case 'authoring':
      return (
        <>
          <p>
            A server is one <strong>ServerSpec</strong> (JSON). HTTP tools are declarative: URL,
            header and body templates over the arguments. <code>{'{arg}'}</code> in the URL is
            percent-encoded; <code>{'{{secrets.NAME}}'}</code> is allowed only in headers and the
            body, never in the URL. A tool may only reach the hosts listed in <code>egress</code>.
          </p>
          <Code label="Example">
            {JSON.stringify(
              {
                name: 'Weather',
                slug: 'weather',
                secrets: [{ name: 'API_KEY', description: 'Open-Meteo key' }],
                egress: ['api.open-meteo.com'],
                tools: [
                  {
                    name: 'get_forecast',
                    description: 'Daily forecast for a city',
                    inputSchema: {
                      type: 'object',
                      properties: { city: { type: 'string' } },
                      required: ['city'],
                    },
                    annotations: { readOnlyHint: true },
                    http: {
                      method: 'GET',
                      url: 'https://api.open-meteo.com/v1/forecast?city={city}',
                      headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
                    },
                  },
                ],
              },
              null,
              2,
            )}
          </Code>
          <PrimitivesGuide />
          <H2>Reference</H2>
          <p className="muted">Generated from the schema the API validates with.</p>
          <Suspense fallback={<Spinner label="Loading the reference…" />}>
            <SpecReference />
          </Suspense>
        </>
      );
    case 'self-hosting':
      return (
        <>
          <p>Moat runs on your own Cloudflare account, or entirely on your machine.</p>
          <Code label="Local">
            {'npm install\nnpm start   # auth + dashboard on :8787, runner on :8788'}
          </Code>
          <Code label="Deploy">
            {
              'npx wrangler login\nnpm run deploy -- --issuer https://auth.example.com --runner-origin https://mcp.example.com'
            }
          </Code>
          <p>
            The dashboard is served by the auth Worker (static assets) or by Cloudflare Pages with a
            small proxy worker that keeps <code>/v1</code>, <code>/api</code> and the OAuth pages on
            the same origin. See <code>docs/deploy.md</code> in the repository.
          </p>
        </>
      );
    case 'api':
      return (
        <>
          <p>
            Base URL <code>{origin}</code>. Authenticate with the session cookie (the dashboard;
            unsafe methods need a same-origin <code>Origin</code> and <code>x-csrf-token</code>) or{' '}
            <code>Authorization: Bearer moat_sk_…</code>. Errors are{' '}
            <code>{'{"error":{"code","message"}}'}</code> with the right status. Every body and
            error code is in the repository's <code>docs/api.md</code>; the table below is rendered
            from <code>/api/openapi.json</code>, the machine-readable reference.
          </p>
          <Suspense fallback={<Spinner label="Loading the API reference…" />}>
            <ApiReference />
          </Suspense>
          <Code label="Example">{`$ curl -s ${origin}/v1/servers -H "Authorization: Bearer $MOAT_API_KEY"`}</Code>
        </>
      );
    default:
      return (
        <dl className="faq">
          <dt>Does Moat see my API credentials?</dt>
          <dd>
            They are encrypted with a per-secret data key wrapped by the platform master key,
            decrypted only in the runner when a tool calls your API, and never returned, logged or
            put in URLs.
          </dd>
          <dt>Which clients work?</dt>
          <dd>
            Any client that supports remote MCP servers with OAuth: Claude (desktop, web, Claude
            Code), Cursor, VS Code, the MCP Inspector and the MCP SDKs, and web apps on the origins
            you allow (see <Link href="/docs/concepts">browser clients</Link>).
          </dd>
          <dt>Can a token for one server call another?</dt>
          <dd>
            No. Tokens are bound to one server's URL (RFC 8707 audience); every server rejects
            tokens for any other.
          </dd>
          <dt>What happens if a tool fails during the build?</dt>
          <dd>
            The build stops with the tool's error and what to fix, and nothing is published. The
            previous version stays live.
          </dd>
          <dt>Can I leave?</dt>
          <dd>
            Yes: eject a server as a standalone Worker project and deploy it to your own account.
          </dd>
        </dl>
      );
  }
}

export default function Docs({ params }: { params: Record<string, string> }) {
  const id = params.topic ?? 'quickstart';
  const title = TOPICS.find(([t]) => t === id)?.[1];
  return (
    <div className="docs">
      <nav aria-label="Docs" className="docs-nav">
        <ul>
          {TOPICS.map(([t, label]) => (
            <li key={t}>
              <Link href={`/docs/${t}`} aria-current={t === id ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <article className="docs-body">
        <h1>{title ?? 'Not found'}</h1>
        {title ? <Topic id={id} /> : <p>No such page. Pick a topic from the list.</p>}
      </article>
    </div>
  );
}
