// Docs topic — FAQ.
import { Link } from '../../router';

export function Faq() {
  return (
    <dl className="faq">
      <dt>Does Moat see my API credentials?</dt>
      <dd>
        They are encrypted with a per-secret data key wrapped by the platform master key, decrypted
        only in the runner when a tool calls your API (kept in memory for a few seconds, so a
        changed secret is used within about 5 seconds), and never returned, logged or put in URLs.
      </dd>
      <dt>Which clients work?</dt>
      <dd>
        Any client that supports remote MCP servers with OAuth: Claude (desktop, web, Claude Code),
        Cursor, VS Code, the MCP Inspector and the MCP SDKs, and web apps on the origins you allow
        (see <Link href="/docs/concepts">browser clients</Link>).
      </dd>
      <dt>Can a token for one server call another?</dt>
      <dd>
        No. Tokens are bound to one server's URL (RFC 8707 audience); every server rejects tokens
        for any other.
      </dd>
      <dt>What happens if a tool fails during the build?</dt>
      <dd>
        The build stops with the tool's error and what to fix, and nothing is published. The
        previous version stays live.
      </dd>
      <dt>Someone says their client doesn't connect. Where do I look?</dt>
      <dd>
        On the server's page. <strong>Connections</strong> lists every authorization attempt of the
        last 7 days step by step (discovery, registration, authorize, sign-in, consent, token
        exchange, first MCP request), the first step that failed and a plain-language diagnosis: a
        resource that isn't this server's URL, a redirect URI the client never registered, PKCE
        missing, consent denied, a token issued but never used, a scope the server doesn't have.
        Nothing secret is kept: no tokens, codes or state, and addresses only as a hash.
      </dd>
      <dt>What does a client's health mean?</dt>
      <dd>
        <strong>Connection health</strong> on the server page rates each client: healthy;{' '}
        <em>never refreshes</em> (a user had to authorize it again instead of it using its refresh
        token — its users see "connection expired"); <em>stale</em> (no token or use in 30 days);{' '}
        <em>failing</em> (3 or more requests refused with 401 since it last got in); or{' '}
        <em>revoked</em>. It also shows the last 401 and why, and the last 403 and the scope it
        lacked. The same list is <code>GET /v1/servers/:id/clients</code>.
      </dd>
      <dt>Can I leave?</dt>
      <dd>Yes: eject a server as a standalone Worker project and deploy it to your own account.</dd>
    </dl>
  );
}
