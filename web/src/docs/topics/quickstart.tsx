// Docs topic — Quickstart: from nothing to a hosted MCP server a client can call.
import { Link } from '../../router';
import { Code } from '../../ui';

export function Quickstart() {
  return (
    <>
      <p>From nothing to a hosted MCP server your AI client can call, in a few minutes.</p>
      <ol>
        <li>
          <Link href="/sign-up">Create an account</Link>, then choose{' '}
          <Link href="/servers/new">New server</Link>.
        </li>
        <li>
          <strong>Describe</strong> the API: upload an OpenAPI document, write a prompt, or paste a
          ServerSpec. Pick a slug; it becomes part of the URL.
        </li>
        <li>
          <strong>Review</strong> the tools: rename them, tighten descriptions, schemas and scopes,
          and enter the credentials the API needs. They are encrypted and injected server-side.
        </li>
        <li>
          <strong>Build</strong>: Moat validates the spec, calls each read-only tool once for real,
          publishes the version and smoke-tests the live URL. Watch the log as it happens.
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
}
