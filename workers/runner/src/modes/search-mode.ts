// Search mode (issue 14, DESIGN §9): tools/list offers search_tools, describe_tools and call_tool
// instead of every tool. Search and describe only see tools the caller's scopes cover (the list
// rule of DESIGN §6); call_tool runs the named tool through the direct tools/call handler, and the
// chain has already answered 403 insufficient_scope for a real tool the token lacks scope for
// (chain/scope.ts reads call_tool's `arguments.name`), exactly as for a direct call.
import {
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import {
  CALL_TOOL,
  DESCRIBE_MAX,
  DESCRIBE_TOOLS,
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
  SEARCH_TOOLS,
  searchModeTools,
} from '../../../../lib/spec/discovery-tools';
import { toolScopes, type Tool } from '../../../../lib/spec/server-spec';
import { hasScopes } from '../bearer';
import { searchIndexFor } from './search-index';
import { directRequest, type ModeContext, type ToolHandlers } from './tool-handlers';

const SearchArgs = z
  .object({
    query: z.string().min(1).max(500),
    limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).optional(),
  })
  .strict();
const DescribeArgs = z.object({ names: z.array(z.string()).min(1).max(DESCRIBE_MAX) }).strict();
const CallArgs = z
  .object({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).optional() })
  .strict();

function parseArgs<T>(schema: z.ZodType<T>, tool: string, args: unknown): T {
  const parsed = schema.safeParse(args ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ProtocolError(
    ProtocolErrorCode.InvalidParams,
    `Invalid arguments for tool ${tool}: /${issue?.path.join('/') ?? ''}: ${issue?.message ?? 'invalid'}`,
  );
}

function oneLine(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}

function json(value: unknown): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value) }],
    structuredContent: value as Record<string, unknown>,
  };
}

export function searchModeHandlers({ spec, direct }: ModeContext): ToolHandlers {
  const listed = searchModeTools(spec.name);
  const index = searchIndexFor(spec.tools);
  return {
    list: () => ({ tools: listed }),
    call: async (request, ctx) => {
      const scopes = ctx.http?.authInfo?.scopes ?? [];
      const permitted = (t: Tool) => hasScopes(scopes, toolScopes(t));
      const { name, arguments: args } = request.params;
      switch (name) {
        case SEARCH_TOOLS: {
          const { query, limit } = parseArgs(SearchArgs, name, args);
          const found = index.search(query, limit ?? SEARCH_LIMIT_DEFAULT, permitted);
          return json({
            tools: found.map((t) => ({
              name: t.name,
              description: oneLine(t.description ?? t.title),
            })),
          });
        }
        case DESCRIBE_TOOLS: {
          const { names } = parseArgs(DescribeArgs, name, args);
          const tools = names
            .map((n) => spec.tools.find((t) => t.name === n))
            .filter((t): t is Tool => t !== undefined && permitted(t));
          const known = new Set(tools.map((t) => t.name));
          return json({
            tools: tools.map((t) => ({
              name: t.name,
              title: t.title,
              description: t.description,
              inputSchema: t.inputSchema,
              outputSchema: t.outputSchema,
              annotations: t.annotations,
            })),
            unknown: names.filter((n) => !known.has(n)),
          });
        }
        case CALL_TOOL: {
          const call = parseArgs(CallArgs, name, args);
          return direct.call(directRequest(request, call.name, call.arguments ?? {}), ctx);
        }
        default:
          // A client that already knows a tool's name may call it directly: the same path.
          return direct.call(request, ctx);
      }
    },
  };
}
