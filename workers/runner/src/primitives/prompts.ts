// MCP prompts (2025-11-25 server/prompts): listed by the caller's scopes; prompts/get fills
// `{argument}` in each message's text (DESIGN §9) after checking required arguments.
import {
  ProtocolError,
  ProtocolErrorCode,
  type GetPromptResult,
} from '@modelcontextprotocol/server';
import type { Prompt, ServerSpec } from '../../../../lib/spec/server-spec';
import { readScopes } from '../../../../lib/spec/scopes';
import { hasScopes } from '../bearer';

export function findPrompt(spec: ServerSpec, name: unknown): Prompt | undefined {
  return spec.prompts?.find((p) => p.name === name);
}

export function listPrompts(spec: ServerSpec, scopes: readonly string[]) {
  return {
    prompts: (spec.prompts ?? [])
      .filter((p) => hasScopes(scopes, readScopes(p)))
      .map((p) => ({
        name: p.name,
        title: p.title,
        description: p.description,
        arguments: p.arguments?.map((a) => ({
          name: a.name,
          description: a.description,
          required: a.required,
        })),
      })),
  };
}

/**
 * Only declared argument names are placeholders, so other braces (JSON, code) stay as written;
 * one pass, so a value holding `{other}` is not expanded again.
 */
export function getPrompt(prompt: Prompt, args: Record<string, string> = {}): GetPromptResult {
  const declared = prompt.arguments ?? [];
  const missing = declared.filter((a) => a.required && !args[a.name]).map((a) => a.name);
  if (missing.length > 0) {
    // MCP server/prompts §Error Handling: missing required arguments → -32602.
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Missing required argument${missing.length > 1 ? 's' : ''} for prompt ${prompt.name}: ${missing.join(', ')}`,
    );
  }
  const names = new Set(declared.map((a) => a.name));
  const fill = (text: string) =>
    text.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
      names.has(name) ? (args[name] ?? '') : whole,
    );
  return {
    description: prompt.description,
    messages: prompt.messages.map((m) => ({
      role: m.role,
      content: { type: 'text', text: fill(m.text) },
    })),
  };
}
