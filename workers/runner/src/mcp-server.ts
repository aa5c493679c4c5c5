// The MCP server of one session: tools/list filtered by the caller's scopes and tools/call
// running the spec's HTTP tools, each call audited off the response path.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker-provider.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { toolScopes, type ServerSpec } from '../../../lib/spec/server-spec';
import { hasScopes, type Principal } from './bearer';
import { registerPrimitives } from './primitives/register';
import { toolCallAuditStatement } from './store/audit';
import { callTool } from './tools/tool-call';

/** What the session's server needs to know about where it runs. */
export type SessionBinding = {
  sessionId: string;
  serverId: string;
  orgId: string;
  slug: string;
  version: number;
};

/** Passed by the session as `authInfo.extra` on every request (never the token itself). */
export type AuthExtra = { principal: Principal };

export function createMcpServer(
  spec: ServerSpec,
  binding: SessionBinding,
  deps: { env: Env; waitUntil: (p: Promise<unknown>) => void },
): Server {
  const server = new Server(
    { name: spec.name, version: String(binding.version) },
    {
      capabilities: { tools: { listChanged: false } },
      instructions: spec.description,
      jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, (_req, extra) => {
    const scopes = extra.authInfo?.scopes ?? [];
    return {
      // Tools the token's scopes do not cover are hidden (DESIGN §6); calling one anyway is
      // answered 403 insufficient_scope by the Worker before it reaches this session.
      tools: spec.tools
        .filter((t) => hasScopes(scopes, toolScopes(t)))
        .map((t) => ({
          name: t.name,
          title: t.title,
          description: t.description,
          inputSchema: t.inputSchema,
          outputSchema: t.outputSchema,
          annotations: t.annotations,
        })),
    };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const principal = (extra.authInfo?.extra as AuthExtra | undefined)?.principal;
    const tool = spec.tools.find((t) => t.name === request.params.name);
    if (!tool || !principal) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    }
    if (!hasScopes(principal.scopes, toolScopes(tool))) {
      throw new McpError(ErrorCode.InvalidRequest, 'insufficient_scope');
    }
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const progressToken = request.params._meta?.progressToken;
    const audit = (metadata: Record<string, unknown>) =>
      deps.waitUntil(
        toolCallAuditStatement(deps.env.DB, {
          orgId: binding.orgId,
          serverId: binding.serverId,
          sub: principal.sub,
          metadata: {
            server: binding.slug,
            version: binding.version,
            tool: tool.name,
            sub: principal.sub,
            client_id: principal.clientId,
            jti: principal.jti,
            ...metadata,
          },
        })
          .run()
          .then(
            () => undefined,
            () => console.error('tool.call audit write failed', { tool: tool.name }),
          ),
      );
    try {
      const { result, audit: a } = await callTool(tool, args, {
        env: deps.env,
        serverId: binding.serverId,
        spec,
        signal: extra.signal,
        progressToken,
        sendProgress: (progress, message) =>
          progressToken === undefined
            ? Promise.resolve()
            : extra.sendNotification({
                method: 'notifications/progress',
                params: { progressToken, progress, message },
              }),
      });
      audit({
        outcome: a.outcome,
        downstream: { host: a.host, status: a.status },
        latency_ms: a.latencyMs,
        arguments: a.arguments,
      });
      return result;
    } catch (err) {
      const invalid = err instanceof McpError && err.code === ErrorCode.InvalidParams;
      audit({ outcome: invalid ? 'invalid_params' : 'failed' });
      throw err;
    }
  });
  registerPrimitives(server, spec, binding, deps);
  return server;
}
