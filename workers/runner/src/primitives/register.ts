// Registers resources and prompts on the MCP server both eras share (mcp-server.ts), and
// advertises each capability only when the spec declares that primitive (MCP 2025-11-25
// basic/lifecycle §Capabilities; 2026-07-28 server/discover).
import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  type AuthInfo,
  type Server,
  type ServerCapabilities,
} from '@modelcontextprotocol/server';
import type { ServerSpec } from '../../../../lib/spec/server-spec';
import { readScopes } from '../../../../lib/spec/scopes';
import { hasScopes, type Principal } from '../bearer';
import { auditCall } from '../call-audit';
import type { AuthExtra, ServedServer, ServerDeps } from '../mcp-server';
import { findPrompt, getPrompt, listPrompts } from './prompts';
import { listResources, listResourceTemplates, resolveResource, staticContents } from './resources';
import { readTemplate } from './template-read';

export function primitiveCapabilities(spec: ServerSpec): ServerCapabilities {
  const resources = (spec.resources?.length ?? 0) + (spec.resourceTemplates?.length ?? 0) > 0;
  return {
    ...(resources ? { resources: { listChanged: false } } : {}),
    ...(spec.prompts?.length ? { prompts: { listChanged: false } } : {}),
  };
}

const principalOf = (authInfo: AuthInfo | undefined): Principal | undefined =>
  (authInfo?.extra as AuthExtra | undefined)?.principal;

/** The chain answers 403 before a server sees a read without scope; this is the backstop. */
function requireScopes(principal: Principal | undefined, scopes: string[]): Principal {
  if (!principal || !hasScopes(principal.scopes, scopes)) {
    throw new ProtocolError(ProtocolErrorCode.InvalidRequest, 'insufficient_scope');
  }
  return principal;
}

export function registerPrimitives(
  server: Server,
  spec: ServerSpec,
  served: ServedServer,
  deps: ServerDeps,
): void {
  const caps = primitiveCapabilities(spec);
  server.registerCapabilities(caps);
  const audit = (principal: Principal, metadata: Record<string, unknown>) =>
    auditCall(deps, served, principal, { action: 'resource.read' }, metadata);

  if (caps.resources) {
    server.setRequestHandler('resources/list', (_req, ctx) =>
      listResources(spec, ctx.http?.authInfo?.scopes ?? []),
    );
    server.setRequestHandler('resources/templates/list', (_req, ctx) =>
      listResourceTemplates(spec, ctx.http?.authInfo?.scopes ?? []),
    );
    server.setRequestHandler('resources/read', async (request, ctx) => {
      const uri = request.params.uri;
      const target = resolveResource(spec, uri);
      // MCP 2026-07-28 server/resources §Error Handling: -32602 with data.uri, every revision.
      if (!target) throw new ResourceNotFoundError(uri);
      const principal = requireScopes(principalOf(ctx.http?.authInfo), target.scopes);
      if (target.kind === 'static') {
        audit(principal, { resource: target.resource.name, outcome: 'ok', latency_ms: 0 });
        return staticContents(uri, target.resource);
      }
      const name = target.template.name;
      let read: Awaited<ReturnType<typeof readTemplate>>;
      try {
        read = await readTemplate(uri, target.template, target.vars, {
          env: deps.env,
          serverId: served.serverId,
          spec,
          principal,
          waitUntil: deps.waitUntil,
          signal: ctx.mcpReq.signal,
          sendProgress: async () => {},
        });
      } catch (err) {
        const invalid =
          err instanceof ProtocolError && err.code === (ProtocolErrorCode.InvalidParams as number);
        audit(principal, { resource: name, outcome: invalid ? 'invalid_params' : 'failed' });
        throw err;
      }
      const a = read.audit;
      audit(principal, {
        resource: name,
        outcome: a.outcome,
        downstream: { host: a.host, status: a.status },
        latency_ms: a.latencyMs,
        arguments: a.arguments,
        ...(a.connections ? { connections: a.connections } : {}),
        ...(a.connectionStatus ? { connection_status: a.connectionStatus } : {}),
      });
      if (read.error) throw read.error;
      return read.result;
    });
  }
  if (caps.prompts) {
    server.setRequestHandler('prompts/list', (_req, ctx) =>
      listPrompts(spec, ctx.http?.authInfo?.scopes ?? []),
    );
    server.setRequestHandler('prompts/get', (request, ctx) => {
      const prompt = findPrompt(spec, request.params.name);
      if (!prompt) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `Unknown prompt: ${request.params.name}`,
        );
      }
      requireScopes(principalOf(ctx.http?.authInfo), readScopes(prompt));
      return getPrompt(prompt, request.params.arguments);
    });
  }
}
