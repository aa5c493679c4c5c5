// Registers resources and prompts on a session's MCP server, and advertises each capability
// only when the spec declares that primitive (MCP 2025-11-25 basic/lifecycle §Capabilities).
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerSpec } from '../../../../lib/spec/server-spec';
import { readScopes } from '../../../../lib/spec/scopes';
import { hasScopes, type Principal } from '../bearer';
import type { AuthExtra } from '../mcp-server';
import { toolCallAuditStatement } from '../store/audit';
import { findPrompt, getPrompt, listPrompts } from './prompts';
import { listResources, listResourceTemplates, resolveResource, staticContents } from './resources';
import { readTemplate } from './template-read';

export type PrimitiveDeps = { env: Env; waitUntil: (p: Promise<unknown>) => void };
/** The published server version an instance serves. */
export type Served = { serverId: string; orgId: string; slug: string; version: number };

export function primitiveCapabilities(spec: ServerSpec): ServerCapabilities {
  const resources = (spec.resources?.length ?? 0) + (spec.resourceTemplates?.length ?? 0) > 0;
  return {
    ...(resources ? { resources: { listChanged: false } } : {}),
    ...(spec.prompts?.length ? { prompts: { listChanged: false } } : {}),
  };
}

const principalOf = (extra: { authInfo?: { extra?: unknown } }): Principal | undefined =>
  (extra.authInfo?.extra as AuthExtra | undefined)?.principal;

/** The Worker answers 403 before a session sees a read without scope; this is the backstop. */
function requireScopes(principal: Principal | undefined, scopes: string[]): Principal {
  if (!principal || !hasScopes(principal.scopes, scopes)) {
    throw new McpError(ErrorCode.InvalidRequest, 'insufficient_scope');
  }
  return principal;
}

export function registerPrimitives(
  server: Server,
  spec: ServerSpec,
  binding: Served,
  deps: PrimitiveDeps,
): void {
  const caps = primitiveCapabilities(spec);
  server.registerCapabilities(caps);
  const audit = (principal: Principal, metadata: Record<string, unknown>) =>
    deps.waitUntil(
      toolCallAuditStatement(deps.env.DB, {
        action: 'resource.read',
        orgId: binding.orgId,
        serverId: binding.serverId,
        sub: principal.sub,
        metadata: {
          server: binding.slug,
          version: binding.version,
          sub: principal.sub,
          client_id: principal.clientId,
          jti: principal.jti,
          ...metadata,
        },
      })
        .run()
        .then(
          () => undefined,
          () => console.error('resource.read audit write failed'),
        ),
    );

  if (caps.resources) {
    server.setRequestHandler(ListResourcesRequestSchema, (_req, extra) =>
      listResources(spec, extra.authInfo?.scopes ?? []),
    );
    server.setRequestHandler(ListResourceTemplatesRequestSchema, (_req, extra) =>
      listResourceTemplates(spec, extra.authInfo?.scopes ?? []),
    );
    server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
      const uri = request.params.uri;
      const target = resolveResource(spec, uri);
      if (!target)
        throw new McpError(ErrorCode.InvalidParams, `Resource not found: ${uri}`, { uri });
      const principal = requireScopes(principalOf(extra), target.scopes);
      if (target.kind === 'static') {
        audit(principal, { resource: target.resource.name, outcome: 'ok', latency_ms: 0 });
        return staticContents(uri, target.resource);
      }
      const name = target.template.name;
      let read: Awaited<ReturnType<typeof readTemplate>>;
      try {
        read = await readTemplate(uri, target.template, target.vars, {
          env: deps.env,
          serverId: binding.serverId,
          spec,
          signal: extra.signal,
          sendProgress: async () => {},
        });
      } catch (err) {
        const invalid = err instanceof McpError && err.code === ErrorCode.InvalidParams;
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
      });
      if (read.error) throw read.error;
      return read.result;
    });
  }
  if (caps.prompts) {
    server.setRequestHandler(ListPromptsRequestSchema, (_req, extra) =>
      listPrompts(spec, extra.authInfo?.scopes ?? []),
    );
    server.setRequestHandler(GetPromptRequestSchema, (request, extra) => {
      const prompt = findPrompt(spec, request.params.name);
      if (!prompt) {
        throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
      }
      requireScopes(principalOf(extra), readScopes(prompt));
      return getPrompt(prompt, request.params.arguments);
    });
  }
}
