// Build-time tool execution for the auth Worker's build pipeline (lib/build/tool-test.ts). A named
// WorkerEntrypoint: only a service binding that names it (the auth Worker's RUNNER_TOOLS) can
// call it; the public internet reaches the default export's fetch only. The call goes through the
// same engine as an MCP tools/call (argument check, templates, secrets, egress guard, timeout,
// outputSchema), without a session.
import { WorkerEntrypoint } from 'cloudflare:workers';
import { ProtocolError } from '@modelcontextprotocol/server';
import type { BuildToolsRpc, ToolTestRequest, ToolTestResult } from '../../../lib/build/tool-test';
import { ServerSpecSchema } from '../../../lib/spec/server-spec';
import { callTool } from './tools/tool-call';

const TEXT_CHARS = 500;

export class BuildTools extends WorkerEntrypoint<Env> implements BuildToolsRpc {
  async testTool(request: ToolTestRequest): Promise<ToolTestResult> {
    const started = Date.now();
    const spec = ServerSpecSchema.parse(request.spec);
    const tool = spec.tools.find((t) => t.name === request.tool);
    if (!tool) {
      return {
        ok: false,
        outcome: 'unknown_tool',
        latencyMs: 0,
        text: `No tool ${request.tool}.`,
        structured: false,
      };
    }
    try {
      const { result, audit } = await callTool(tool, request.args, {
        env: this.env,
        serverId: request.serverId,
        spec,
        signal: new AbortController().signal,
        sendProgress: async () => {},
      });
      const text = result.content
        .map((c) => (c.type === 'text' ? c.text : `[${c.type}]`))
        .join('\n')
        .slice(0, TEXT_CHARS);
      return {
        ok: audit.outcome === 'ok' && !result.isError,
        outcome: audit.outcome,
        ...(audit.status !== undefined ? { status: audit.status } : {}),
        ...(audit.host !== undefined ? { host: audit.host } : {}),
        latencyMs: audit.latencyMs,
        text,
        structured: result.structuredContent !== undefined,
      };
    } catch (err) {
      // Invalid arguments (JSON-RPC -32602) or an unopenable secret: a clean reason, no stack.
      const message = err instanceof ProtocolError ? err.message : 'The tool could not be run.';
      return {
        ok: false,
        outcome: err instanceof ProtocolError ? 'invalid_arguments' : 'failed',
        latencyMs: Date.now() - started,
        text: message.slice(0, TEXT_CHARS),
        structured: false,
      };
    }
  }
}
