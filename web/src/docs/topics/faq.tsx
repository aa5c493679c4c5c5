// Docs topic — FAQ.
import { Link } from '../../router';

export function Faq() {
  return (
    <dl className="faq">
      <dt>Does Moat see my API credentials?</dt>
      <dd>
        They are encrypted with a per-secret data key wrapped by the platform master key, decrypted
        only in the runner when a tool calls your API, and never returned, logged or put in URLs.
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
      <dt>Can I leave?</dt>
      <dd>Yes: eject a server as a standalone Worker project and deploy it to your own account.</dd>
    </dl>
  );
}
