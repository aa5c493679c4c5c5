// tools/list and tools/call by discovery mode (lib/spec/discovery-mode.ts): in `tools` mode the
// direct handlers of mcp-server.ts answer; in `search` and `code` mode their handlers stand in
// front and reach every real tool through the same direct tools/call handler, so argument
// validation, secrets, egress, progress, scope and audit are the direct path's own.
import type {
  CallToolRequest,
  CallToolResult,
  InputRequiredResult,
  ListToolsRequest,
  ListToolsResult,
  Server,
  ServerContext,
} from '@modelcontextprotocol/server';
import { resolveMode } from '../../../../lib/spec/discovery-mode';
import type { ServerSpec } from '../../../../lib/spec/server-spec';
import type { ServedServer, ServerDeps } from '../mcp-server';
import { codeModeHandlers } from './code-mode';
import { searchModeHandlers } from './search-mode';

export type ListTools = (
  request: ListToolsRequest,
  ctx: ServerContext,
) => ListToolsResult | Promise<ListToolsResult>;
export type CallTools = (
  request: CallToolRequest,
  ctx: ServerContext,
) => Promise<CallToolResult | InputRequiredResult>;
export type ToolHandlers = { list: ListTools; call: CallTools };

export type ModeContext = {
  spec: ServerSpec;
  served: ServedServer;
  deps: ServerDeps;
  direct: ToolHandlers;
};

export function registerToolHandlers(server: Server, mode: ModeContext): void {
  const handlers = handlersFor(mode);
  server.setRequestHandler('tools/list', handlers.list);
  server.setRequestHandler('tools/call', handlers.call);
}

function handlersFor(mode: ModeContext): ToolHandlers {
  switch (resolveMode(mode.spec)) {
    case 'search':
      return searchModeHandlers(mode);
    case 'code':
      return codeModeHandlers(mode);
    default:
      return mode.direct;
  }
}

/** A tools/call request for a real tool, carrying the outer request's `_meta` (progress token). */
export function directRequest(
  outer: CallToolRequest,
  name: string,
  args: unknown,
): CallToolRequest {
  return {
    method: 'tools/call',
    params: {
      name,
      arguments: args as Record<string, unknown> | undefined,
      ...(outer.params._meta ? { _meta: outer.params._meta } : {}),
    },
  };
}
