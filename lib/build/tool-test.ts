// The contract of the runner's build-time tool execution (workers/runner/src/build-tools.ts): an RPC
// method on a named WorkerEntrypoint, reachable only through the auth Worker's service binding
// (RUNNER_TOOLS), never from the internet. It runs one tool through the runner's own tool engine
// (templates, secrets, egress guard, timeouts, outputSchema check) without an MCP session.
import type { ServerSpec } from '../spec/server-spec';

export type ToolTestRequest = {
  serverId: string;
  spec: ServerSpec;
  tool: string;
  args: Record<string, unknown>;
};

export type ToolTestResult = {
  /** true when the call succeeded and its result is not an error. */
  ok: boolean;
  /** 'ok' | 'invalid_arguments' | 'downstream_error' | 'timeout' | 'refused' | 'failed' | … */
  outcome: string;
  status?: number;
  host?: string;
  latencyMs: number;
  /** The first characters of the result text (secrets already redacted by the runner). */
  text: string;
  structured: boolean;
};

export interface BuildToolsRpc {
  testTool(request: ToolTestRequest): Promise<ToolTestResult>;
}
