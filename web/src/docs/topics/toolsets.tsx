// Docs topic — toolsets: serving a large API as several smaller MCP servers (issue 14).
import { Code } from '../../ui';
import { H2 } from '../heading';

const EXAMPLE = `{
  "toolsets": [
    {
      "name": "issues",
      "title": "Issues",
      "description": "Find, file and comment on issues.",
      "tools": ["list_issues", "create_issue", "add_comment"],
      "prompts": ["triage"]
    },
    { "name": "admin", "tools": ["delete_repo"] }
  ]
}`;

export function Toolsets() {
  return (
    <>
      <p>
        A server built from a large API can have hundreds of tools, and every tool definition a
        client loads costs context. A <strong>toolset</strong> is a named subset of a server's tools
        (and resources and prompts) served at its own URL,{' '}
        <code>{'{RUNNER_ORIGIN}/{slug}/{toolset}/mcp'}</code>. Install only the toolsets a client
        needs; the server's own URL still serves everything.
      </p>
      <Code label="ServerSpec toolsets">{EXAMPLE}</Code>
      <H2>What a toolset URL serves</H2>
      <p>
        Only the tools, resources and prompts the toolset names (none of a kind it does not name),
        with its <code>description</code> as the server's instructions. Its <code>mode</code>, if
        set, says how its tools are offered; otherwise the server's applies. Secrets, egress,
        browser origins and visibility are the server's.
      </p>
      <H2>Its own resource, its own tokens</H2>
      <p>
        Each toolset is an OAuth protected resource of its own, with its own metadata at{' '}
        <code>{'/.well-known/oauth-protected-resource/{slug}/{toolset}/mcp'}</code>. A client that
        connects to a toolset URL asks the authorization server for a token for exactly that URL
        (RFC 8707), and gets only the scopes of the toolset's tools. That token is refused at the
        server's own URL and at every other toolset, and the server's token is refused at the
        toolset: a client can reach only what the user approved it for. The consent screen names the
        server and the toolset. Revoking access to the server (a connected app, a member, the server
        itself) ends its toolsets' tokens too. When you publish a version without a toolset, its URL
        stops answering and its clients can no longer refresh their tokens (the authorization server
        answers <code>invalid_target</code>); their grants are kept, so if a later version brings
        the toolset back, they carry on without a new consent.
      </p>
      <H2>Toolsets from an OpenAPI document</H2>
      <p>
        When a document has more than 20 usable operations, the wizard proposes a toolset per
        OpenAPI tag for the tools you selected (tools without a tag go to <code>other</code>). On
        the review step you can rename and describe each toolset, move tools between them and remove
        them. The server page then lists every toolset's URL with its scopes and install snippets
        for Claude, Claude Code, Cursor and VS Code.
      </p>
    </>
  );
}
