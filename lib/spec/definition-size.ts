// How much of a model's context a server's definitions take, and how big a tool result may be
// (issue 14). One estimator for the build log, the runner's response budget and the
// definition-token bench, so their figures agree (docs/decisions.md 2026-12-03).
import type { Tool } from './http-tool';

/**
 * Characters per token of the estimate. Model tokenizers are not public for every client, so the
 * figure is the documented rule of thumb for English text (~4 characters a token). JSON tokenizes
 * a little denser, so the estimate runs low on schemas; the thresholds below leave room for that.
 */
export const CHARS_PER_TOKEN = 4;

/** Approximate tokens of a text: its length in UTF-16 code units / CHARS_PER_TOKEN, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Approximate tokens of a JSON value as the wire carries it (compact JSON). */
export function estimateJsonTokens(value: unknown): number {
  return estimateTokens(JSON.stringify(value) ?? '');
}

/** A tool as `tools/list` lists it (MCP server/tools §Listing Tools): what a client puts in context. */
export function toolDefinition(
  tool: Pick<
    Tool,
    'name' | 'title' | 'description' | 'inputSchema' | 'outputSchema' | 'annotations'
  >,
): Record<string, unknown> {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
  };
}

export function toolDefinitionTokens(tool: Parameters<typeof toolDefinition>[0]): number {
  return estimateJsonTokens(toolDefinition(tool));
}

/**
 * Past this many definition tokens for one endpoint (the server or a toolset), the build log warns:
 * a tenth of a 200k-token context, the point where clients such as Claude Code start deferring
 * tool definitions behind a search tool.
 */
export const DEFINITION_TOKENS_WARNING = 20_000;
/** One tool past this many definition tokens is worth a look (a huge schema or description). */
export const TOOL_DEFINITION_TOKENS_WARNING = 2_000;

export type DefinitionSizes = {
  tools: { name: string; tokens: number }[];
  toolsets: { name: string; tokens: number; tools: number }[];
  /** Every tool listed at the server's own endpoint. */
  total: number;
};

/** Per tool, per toolset (the sum of its tools' definitions) and the server's total. */
export function definitionSizes(spec: {
  tools: readonly Parameters<typeof toolDefinition>[0][];
  toolsets?: readonly { name: string; tools: readonly string[] }[];
}): DefinitionSizes {
  const tools = spec.tools.map((t) => ({ name: t.name, tokens: toolDefinitionTokens(t) }));
  const byName = new Map(tools.map((t) => [t.name, t.tokens]));
  const toolsets = (spec.toolsets ?? []).map((ts) => ({
    name: ts.name,
    tools: ts.tools.length,
    tokens: ts.tools.reduce((sum, n) => sum + (byName.get(n) ?? 0), 0),
  }));
  return { tools, toolsets, total: tools.reduce((sum, t) => sum + t.tokens, 0) };
}
