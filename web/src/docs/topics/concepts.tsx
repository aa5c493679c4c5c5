// Docs topic — MCP concepts: servers, tools, resources, prompts, and browser clients.
import { Link } from '../../router';
import { H2 } from '../heading';

export function Concepts() {
  return (
    <>
      <p>
        The <a href="https://modelcontextprotocol.io">Model Context Protocol</a> lets AI
        applications call
        <strong> tools</strong> exposed by <strong>servers</strong>. A remote server speaks the
        Streamable HTTP transport at one URL; Moat's is <code>{'{RUNNER_ORIGIN}/{slug}/mcp'}</code>.
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
        Every server speaks both MCP 2026-07-28 and 2025-11-25 on the same URL. A 2026-07-28 client
        discovers the server with <code>server/discover</code> and sends each request on its own,
        with no session. A 2025-11-25 client starts with <code>initialize</code>; its session is one
        Durable Object bound to the signed-in user and client. Either way it lists tools with{' '}
        <code>tools/list</code> and calls them with <code>tools/call</code>, under the same scopes,
        secrets and audit.
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
        <code>allowedOrigins</code> (edit them under <em>Browser origins</em> on the server page):
        it gets CORS answers, preflights included; any other page gets 403, a defence against DNS
        rebinding. This dashboard is always allowed, and native clients (which send no{' '}
        <code>Origin</code>) are unaffected. The server page's <em>Playground</em> is such a browser
        client: it signs in with OAuth like any other, lists the tools your token allows and calls
        them from a form.
      </p>
      <H2>Usage and tracing</H2>
      <p>
        The server page's <em>Usage</em> section shows the calls to each tool over the last hour,
        day or week: calls and errors over time (errors split into API 4xx and 5xx, timeouts, scope
        refusals, invalid arguments and other), p50 and p95 latency, and a table with a sparkline
        per tool. Counts arrive a few seconds after the calls and are kept for 8 days; the same
        numbers come from <code>GET /v1/servers/:id/metrics?window=1h|24h|7d</code>.
      </p>
      <p>
        Send a W3C <code>traceparent</code> (as an HTTP header, or in <code>params._meta</code> with
        MCP 2026-07-28) and the call to your API continues that trace with a new span id; a call
        without one starts a new trace. Either way the trace id is in the call's audit entry as{' '}
        <code>trace_id</code>, so one call can be followed from the client to your API.
      </p>
      <H2>Alerts</H2>
      <p>
        An alert webhook is called when the API behind a server keeps failing (5xx or timeouts) or
        when half of the recent calls are errors, at most once per 15 minutes per kind, retried with
        backoff, and signed with HMAC-SHA256 in <code>X-Moat-Signature</code> (see{' '}
        <code>docs/observability.md</code> for the format). Set it in the server page&apos;s{' '}
        <em>Alerts</em> section, with <code>moat alerts set &lt;server&gt; &lt;url&gt;</code>, or
        with <code>PUT /v1/servers/:id/alerts</code>. Each save issues a new signing secret, shown
        that once: keep it where your receiver verifies the signature.{' '}
        <code>moat alerts &lt;server&gt;</code> shows the webhook and{' '}
        <code>moat alerts remove &lt;server&gt;</code> removes it; owners and admins may change it,
        members may see it.
      </p>
    </>
  );
}
