// Docs topic — discovery modes: offering a large API's tools without filling the model's context
// (issue 14, docs/runner.md "Discovery modes").
import { SEARCH_MODE_THRESHOLD } from '../../../../lib/spec/discovery-mode';
import { DEFAULT_CODE_LIMITS } from '../../../../lib/spec/discovery-tools';
import { Code } from '../../ui';
import { H2 } from '../heading';

const SEARCH = `search_tools { "query": "get thing 42" }
  → { "tools": [{ "name": "getThing42", "description": "Get thing 42" }, …] }
describe_tools { "names": ["getThing42"] }
  → { "tools": [{ "name": "getThing42", "inputSchema": { … } }], "unknown": [] }
call_tool { "name": "getThing42", "arguments": { "id": "42" } }`;

const PROGRAM = `const cities = ['Oslo', 'Lima', 'Pune'];
const all = await Promise.all(cities.map((city) => tools.get_forecast({ city })));
return all.map((f) => f.city + ': ' + f.days[0].tempC + ' °C');`;

export function DiscoveryModes() {
  const l = DEFAULT_CODE_LIMITS;
  return (
    <>
      <p>
        Every tool definition a client loads costs context: GitHub's REST API as 1,221 tools is over
        330,000 tokens before the model has read a word of the conversation. The ServerSpec field{' '}
        <code>mode</code> (on the server, or on a toolset) says how the tools are offered. Without
        it, a server lists every tool up to {SEARCH_MODE_THRESHOLD} tools and switches to search
        mode past that. Change it on the server page under <strong>Discovery mode</strong>.
      </p>
      <H2>tools — every tool listed</H2>
      <p>
        The client sees each tool the token may call, with its full schema. Best for small servers:
        the model picks tools without an extra step.
      </p>
      <H2>search — three tools in front of all of them</H2>
      <p>
        The client sees <code>search_tools</code>, <code>describe_tools</code> and{' '}
        <code>call_tool</code> (about 320 tokens whatever the size of the API). The model searches
        by a few words, reads the schemas it needs, and calls the tool by name. Search and describe
        see only the tools the token may call; a <code>call_tool</code> the token lacks scope for
        gets the same <code>403 insufficient_scope</code> step-up as calling the tool directly.
      </p>
      <Code label="A search-mode conversation">{SEARCH}</Code>
      <H2>code — one run_code tool</H2>
      <p>
        The client sees one tool, <code>run_code</code>, whose description lists the tools as
        TypeScript functions. The model writes a short JavaScript program (the body of an async
        function) that calls them with <code>await tools.name(args)</code> and returns a JSON value:
        several calls and their combination in one step, without each result passing through the
        model.
      </p>
      <Code label="A run_code program">{PROGRAM}</Code>
      <p>
        The program runs in an isolated Worker with no network of its own: <code>fetch</code> is
        refused, and every tool call goes back through Moat with the caller's scopes, secrets,
        egress rules and audit. A call the token lacks scope for throws an error naming the scope.
        Limits: {l.maxCalls} tool calls, {l.wallMs / 1000} s, {l.maxOutputBytes / 1024} KiB of
        output, and a step limit that stops endless loops. Overruns, syntax errors and uncaught
        errors come back as tool errors, never as failures of the connection.
      </p>
      <H2>In every mode</H2>
      <p>
        A tool runs exactly as if it were called directly: its arguments are checked against its
        schema, its secrets and connections are added server-side, it may reach only the server's
        egress hosts, and the audit log names the real tool. Toolsets combine with modes: a toolset
        without a mode of its own uses the server's.
      </p>
    </>
  );
}
