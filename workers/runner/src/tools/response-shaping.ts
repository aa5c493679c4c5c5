// A successful downstream answer as a tool result that fits (issue 14, docs/runner.md "Response
// shaping"): the tool's projection, then its size budget, then a note for the model naming what
// was left out and the arguments of the next page. Structured content (MCP 2025-11-25
// server/tools §Output Schema) is the shaped value when that still matches the outputSchema;
// otherwise it is left out and the note says so.
import type { CallToolResult } from '@modelcontextprotocol/server';
import { Validator } from '@cfworker/json-schema';
import type { Tool } from '../../../../lib/spec/server-spec';
import { project } from '../../../../lib/shaping/projection';
import { shapeJson, shapeText } from '../../../../lib/shaping/shape-response';
import type { Decoded } from './response-content';
import { redactValue, type Redact } from './secret-redaction';

export const STRUCTURED_LEFT_OUT =
  "[Structured content left out: the cut answer no longer matches the tool's outputSchema.]";

type Text = Extract<Decoded, { kind: 'json' | 'text' }>;

const validators = new WeakMap<object, Validator>();

function matchesOutputSchema(tool: Tool, value: unknown): boolean {
  if (!tool.outputSchema) return false;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  let v = validators.get(tool.outputSchema);
  if (!v) {
    v = new Validator(tool.outputSchema as never, '2020-12', false);
    validators.set(tool.outputSchema, v);
  }
  return v.validate(value).valid;
}

const textBlock = (text: string) => ({ type: 'text' as const, text });

/**
 * The result for a JSON or text answer, or 'mismatch' when a tool with an outputSchema got an
 * answer that never matched it. `truncatedAt` is the read ceiling when the API sent more.
 */
export function shapedResult(
  tool: Tool,
  decoded: Text,
  args: Record<string, unknown>,
  redact: Redact,
  opts: { status: number; truncatedAt?: number },
): CallToolResult | 'mismatch' {
  const over =
    opts.truncatedAt !== undefined
      ? `[The API sent more than ${opts.truncatedAt / (1024 * 1024)} MiB; only the start was read.]`
      : undefined;
  if (decoded.kind === 'text') {
    if (tool.outputSchema) return 'mismatch';
    const text = redact(decoded.text);
    const cut = shapeText(tool.response, text);
    const notes = [over, cut?.note].filter((n): n is string => n !== undefined);
    return {
      content: [
        textBlock((cut?.text ?? text) || `(empty response, ${opts.status})`),
        ...notes.map(textBlock),
      ],
    };
  }

  // The answer (projected, when the tool projects) must match before it is cut: otherwise the
  // tool is misdescribed, and that is the API's error, not something a cut can explain.
  if (tool.outputSchema) {
    const projection = tool.response?.projection;
    const whole = projection ? (project(decoded.value, projection) ?? null) : decoded.value;
    if (!matchesOutputSchema(tool, whole)) return 'mismatch';
  }
  const shaped = shapeJson(tool.name, tool.response, args, decoded.value, decoded.text, (v) =>
    redactValue(v, redact),
  );
  const notes = [over, shaped.note];
  let structuredContent: Record<string, unknown> | undefined;
  if (tool.outputSchema) {
    if (matchesOutputSchema(tool, shaped.value)) {
      structuredContent = shaped.value as Record<string, unknown>;
    } else {
      notes.push(STRUCTURED_LEFT_OUT);
    }
  }
  return {
    content: [
      textBlock(shaped.text),
      ...notes.filter((n): n is string => n !== undefined).map(textBlock),
    ],
    ...(structuredContent ? { structuredContent } : {}),
  };
}
