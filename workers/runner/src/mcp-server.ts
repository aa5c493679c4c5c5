// The one MCP server built from a ServerSpec, for both protocol eras: a 2025-11-25 session
// (session.ts, over the SDK's sessionful transport) and each 2026-07-28 request (chain/stateless.ts,
// through the SDK's createMcpHandler). tools/list is filtered by the caller's scopes, tools/call
// runs the spec's HTTP tools, each call audited off the response path; the SDK's codec shapes the
// results for the era it serves (`resultType`, cache fields, `_meta` on 2026-07-28).
import {
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type AuthInfo,
} from '@modelcontextprotocol/server';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/server/validators/cf-worker';
import type { ErrorKind } from '../../../lib/api/metrics';
import { toolScopes, type ServerSpec } from '../../../lib/spec/server-spec';
import { hasScopes, type Principal } from './bearer';
import { auditCall } from './call-audit';
import { connectAnswer } from './connections/connect-prompt';
import { registerToolHandlers, type CallTools, type ListTools } from './modes/tool-handlers';
import { errorKindOf, recordCall } from './metrics/call-metrics';
import { registerPrimitives } from './primitives/register';
import { openRequestState, sealRequestState } from './request-state';
import { callTool } from './tools/tool-call';
import { traceOf } from './trace-context';

/** Which published server version an instance serves (and which toolset of it, if one). */
export type ServedServer = {
  serverId: string;
  orgId: string;
  slug: string;
  version: number;
  toolset?: string;
};

export type ServerDeps = { env: Env; waitUntil: (p: Promise<unknown>) => void };

/** Passed as `authInfo.extra` with every request (never the token itself). */
export type AuthExtra = { principal: Principal };

/** The SDK's `authInfo` for a principal the chain verified: its scopes, never its token. */
export function authInfoOf(principal: Principal): AuthInfo {
  return {
    token: '',
    clientId: principal.clientId,
    scopes: principal.scopes,
    expiresAt: principal.exp,
    extra: { principal } satisfies AuthExtra,
  };
}

function principalOf(authInfo: AuthInfo | undefined): Principal | undefined {
  return (authInfo?.extra as AuthExtra | undefined)?.principal;
}

/** The protocol era an instance serves: a 2025-11-25 session or one 2026-07-28 request. */
export type Era = 'legacy' | 'modern';

export function createMcpServer(
  spec: ServerSpec,
  served: ServedServer,
  deps: ServerDeps,
  era: Era,
): Server {
  const server = new Server(
    { name: spec.name, version: String(served.version) },
    {
      // `logging` (logging/setLevel) only for 2025 sessions: 2026-07-28 deprecates it (SEP-2577).
      capabilities: { tools: { listChanged: false }, ...(era === 'legacy' ? { logging: {} } : {}) },
      instructions: spec.description,
      jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
      // MCP 2026-07-28 basic/patterns/mrtr: an echoed requestState must be one this runner sealed
      // for this server and principal, unexpired (request-state.ts); anything else is -32602.
      requestState: {
        verify: async (state, ctx) => {
          const principal = principalOf(ctx.http?.authInfo);
          if (!principal) throw new Error('no principal');
          return openRequestState(deps.env.MASTER_KEY, bindingOf(served, principal), state);
        },
      },
    },
  );
  const listTools: ListTools = (_req, ctx) => {
    const scopes = ctx.http?.authInfo?.scopes ?? [];
    return {
      // Tools the token's scopes do not cover are hidden (DESIGN §6); calling one anyway is
      // answered 403 insufficient_scope by the chain (chain/scope.ts) before it reaches here.
      tools: spec.tools
        .filter((t) => hasScopes(scopes, toolScopes(t)))
        .map((t) => ({
          name: t.name,
          title: t.title,
          description: t.description,
          inputSchema: t.inputSchema as { type: 'object' },
          outputSchema: t.outputSchema as { type: 'object' } | undefined,
          annotations: t.annotations,
        })),
    };
  };
  const callTools: CallTools = async (request, ctx) => {
    const principal = principalOf(ctx.http?.authInfo);
    const tool = spec.tools.find((t) => t.name === request.params.name);
    if (!tool || !principal) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown tool: ${request.params.name}`,
      );
    }
    if (!hasScopes(principal.scopes, toolScopes(tool))) {
      throw new ProtocolError(ProtocolErrorCode.InvalidRequest, 'insufficient_scope');
    }
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const progressToken = request.params._meta?.progressToken;
    const trace = traceOf(request.params._meta, ctx.http?.req?.headers);
    const audit = (metadata: Record<string, unknown>) =>
      auditCall(
        deps,
        served,
        principal,
        { action: 'tool.call', tool: tool.name },
        {
          ...metadata,
          trace_id: trace.traceId,
        },
      );
    const started = Date.now();
    const measure = (error: ErrorKind | null, latencyMs: number) =>
      recordCall(deps, { ...metricKeyOf(served, principal, tool.name), error, latencyMs });
    try {
      const {
        result,
        audit: a,
        needed,
      } = await callTool(tool, args, {
        env: deps.env,
        serverId: served.serverId,
        version: served.version,
        spec,
        principal,
        waitUntil: deps.waitUntil,
        signal: ctx.mcpReq.signal,
        progressToken,
        trace,
        sendProgress: (progress, message) =>
          progressToken === undefined
            ? Promise.resolve()
            : ctx.mcpReq.notify({
                method: 'notifications/progress',
                params: { progressToken, progress, message },
              }),
      });
      audit({
        outcome: a.outcome,
        downstream: { host: a.host, status: a.status },
        latency_ms: a.latencyMs,
        arguments: a.arguments,
        ...(a.connections ? { connections: a.connections } : {}),
        ...(a.connectionStatus ? { connection_status: a.connectionStatus } : {}),
      });
      measure(errorKindOf(a.outcome, a.status), a.latencyMs);
      if (needed) {
        return connectAnswer(server, ctx, needed, era === 'modern', (payload) =>
          sealRequestState(deps.env.MASTER_KEY, bindingOf(served, principal), payload),
        );
      }
      return server.projectCallToolResult(result, tool.outputSchema);
    } catch (err) {
      const invalid =
        err instanceof ProtocolError && err.code === (ProtocolErrorCode.InvalidParams as number);
      audit({ outcome: invalid ? 'invalid_params' : 'failed' });
      measure(invalid ? 'invalid_arguments' : 'other', Date.now() - started);
      throw err;
    }
  };
  // Search and code mode stand in front of these (modes/tool-handlers.ts, docs/runner.md).
  registerToolHandlers(server, {
    spec,
    served,
    deps,
    direct: { list: listTools, call: callTools },
  });
  registerPrimitives(server, spec, served, deps);
  return server;
}

/** Which metrics row a call of this principal to this server's tool adds to. */
export function metricKeyOf(served: ServedServer, principal: Principal, tool: string) {
  return { serverId: served.serverId, version: served.version, tool, clientId: principal.clientId };
}

/** What a requestState is sealed to (request-state.ts). */
export function bindingOf(served: ServedServer, principal: Principal) {
  return {
    serverId: served.serverId,
    sub: principal.sub,
    clientId: principal.clientId,
    toolset: served.toolset,
  };
}
