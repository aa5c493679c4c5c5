// The real tool a tools/call runs, for the chain's scope check (chain/scope.ts): the named tool,
// or in search mode the tool named by call_tool's `arguments.name`, so a call through call_tool
// gets the same 403 insufficient_scope challenge as a direct call (MCP 2025-11-25 authorization
// §Scope challenge handling). run_code's calls are known only as the program runs: code-mode.ts.
import { resolveMode } from '../../../../lib/spec/discovery-mode';
import { CALL_TOOL } from '../../../../lib/spec/discovery-tools';
import type { ServerSpec, Tool } from '../../../../lib/spec/server-spec';

export function calledTool(spec: ServerSpec, params: unknown): Tool | undefined {
  const p = params as { name?: unknown; arguments?: { name?: unknown } } | undefined;
  const name =
    p?.name === CALL_TOOL && resolveMode(spec) === 'search' ? p.arguments?.name : p?.name;
  return spec.tools.find((t) => t.name === name);
}
