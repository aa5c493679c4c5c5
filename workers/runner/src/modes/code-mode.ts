// Code mode (issue 14, DESIGN §9): tools/list offers one run_code tool whose description carries
// the TypeScript signatures of the tools the caller may call. The program runs in a Worker Loader
// isolate (code-sandbox.ts) and reaches tools only through the ToolBridge, which runs each call
// through the direct tools/call handler with the caller's principal. A program's calls can't be
// scope-checked by the chain before it runs, so scope is checked per inner call here and a refusal
// is a tool error naming the scope (MCP 2025-11-25 server/tools §Error Handling).
import { isInputRequiredResult, type CallToolResult } from '@modelcontextprotocol/server';
import { z } from 'zod';
import {
  DEFAULT_CODE_LIMITS,
  RUN_CODE,
  runCodeTool,
  type CodeLimits,
} from '../../../../lib/spec/discovery-tools';
import { toolScopes, type Tool } from '../../../../lib/spec/server-spec';
import { hasScopes } from '../bearer';
import { auditCall } from '../call-audit';
import { inputRequiredText } from '../connections/connect-prompt';
import type { AuthExtra } from '../mcp-server';
import { runProgram, ToolBridge, type BridgeAnswer } from './code-sandbox';
import { directRequest, type ModeContext, type ToolHandlers } from './tool-handlers';

const RunCodeArgs = z.object({ code: z.string().min(1).max(20_000) }).strict();

export function codeLimits(env: Pick<Env, 'CODE_MODE_WALL_MS'>): CodeLimits {
  const wallMs = Number(env.CODE_MODE_WALL_MS);
  return { ...DEFAULT_CODE_LIMITS, ...(wallMs > 0 ? { wallMs } : {}) };
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/** What a tool result becomes inside the program: structured content, parsed JSON, or text. */
function valueOf(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const texts = result.content.filter((c) => c.type === 'text').map((c) => c.text);
  const text = texts.join('\n');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function codeModeHandlers({ spec, served, deps, direct }: ModeContext): ToolHandlers {
  const limits = codeLimits(deps.env);
  return {
    list: (_request, ctx) => {
      const scopes = ctx.http?.authInfo?.scopes ?? [];
      const callable = spec.tools.filter((t) => hasScopes(scopes, toolScopes(t)));
      return { tools: [runCodeTool(callable, limits)] };
    },
    call: async (request, ctx) => {
      if (request.params.name !== RUN_CODE) return direct.call(request, ctx);
      const principal = (ctx.http?.authInfo?.extra as AuthExtra | undefined)?.principal;
      const parsed = RunCodeArgs.safeParse(request.params.arguments ?? {});
      if (!principal) return errorResult('No caller.');
      if (!parsed.success)
        return errorResult('run_code takes { code: string } (at most 20,000 characters).');

      const invoke = async (name: string, args: unknown): Promise<BridgeAnswer> => {
        const tool = spec.tools.find((t: Tool) => t.name === name);
        if (!tool) return { ok: false, error: `Unknown tool: ${name}` };
        const needed = toolScopes(tool);
        if (!hasScopes(principal.scopes, needed)) {
          return {
            ok: false,
            error: `insufficient_scope: tool ${name} requires scope ${needed.join(' ')}, which this token was not granted`,
          };
        }
        if (!args || typeof args !== 'object' || Array.isArray(args)) {
          return { ok: false, error: `tool ${name} takes one object argument` };
        }
        try {
          const result = await direct.call(directRequest(request, name, args), ctx);
          if (isInputRequiredResult(result)) {
            return { ok: false, error: `tool ${name}: ${inputRequiredText(result)}` };
          }
          if (result.isError) {
            const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
            return { ok: false, error: text || `tool ${name} failed` };
          }
          return { ok: true, value: valueOf(result) };
        } catch (err) {
          return { ok: false, error: err instanceof Error ? err.message : `tool ${name} failed` };
        }
      };

      const started = Date.now();
      const bridge = new ToolBridge(invoke, limits.maxCalls);
      const run = await runProgram(deps.env.LOADER, parsed.data.code, bridge, limits);
      auditCall(
        deps,
        served,
        principal,
        { action: 'tool.call', tool: RUN_CODE },
        {
          mode: 'code',
          outcome: run.ok ? 'ok' : run.outcome,
          calls: bridge.calls,
          latency_ms: Date.now() - started,
        },
      );
      if (!run.ok) return errorResult(`The program did not complete: ${run.error}`);
      const { result, logs } = JSON.parse(run.output) as { result: unknown; logs: string[] };
      const text = JSON.stringify(result, null, 2);
      return {
        content: [
          { type: 'text', text },
          ...(logs.length ? [{ type: 'text' as const, text: `console:\n${logs.join('\n')}` }] : []),
        ],
      };
    },
  };
}
