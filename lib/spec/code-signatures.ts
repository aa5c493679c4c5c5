// TypeScript signatures of a server's tools for code mode's run_code description (issue 14):
// each tool becomes `name(args: {...}): Promise<any>` with its argument type generated from its
// inputSchema (JSON Schema 2020-12 §10 applicators, a readable subset: unknown shapes become
// `any`, so a signature never lies about what the tool accepts).
import type { Tool } from './http-tool';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_DEPTH = 4;

type Schema = Record<string, unknown>;

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

export function schemaType(schema: unknown, depth = 0): string {
  if (!schema || typeof schema !== 'object' || depth > MAX_DEPTH) return 'any';
  const s = schema as Schema;
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ') || 'never';
  for (const union of ['anyOf', 'oneOf'] as const) {
    const parts = s[union];
    if (Array.isArray(parts)) return parts.map((p) => schemaType(p, depth + 1)).join(' | ');
  }
  if (Array.isArray(s.allOf)) return s.allOf.map((p) => schemaType(p, depth + 1)).join(' & ');
  if (Array.isArray(s.type)) {
    return s.type.map((t) => schemaType({ ...s, type: t }, depth)).join(' | ');
  }
  switch (s.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `${wrap(schemaType(s.items, depth + 1))}[]`;
    case 'object':
      return objectType(s, depth);
    default:
      return s.properties ? objectType(s, depth) : 'any';
  }
}

function wrap(t: string): string {
  return /[|&]/.test(t) ? `(${t})` : t;
}

function objectType(s: Schema, depth: number): string {
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const fields = Object.entries(props).map(
    ([name, p]) => `${key(name)}${required.has(name) ? '' : '?'}: ${schemaType(p, depth + 1)}`,
  );
  if (s.additionalProperties !== false && fields.length === 0) return 'Record<string, any>';
  return `{ ${fields.join('; ')} }`;
}

function oneLine(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0]!.trim();
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

/** A `declare const tools: {...}` block for the given tools, one documented method each. */
export function toolSignatures(tools: readonly Tool[]): string {
  const lines = tools.flatMap((t) => {
    const doc = oneLine(t.description ?? t.title);
    return [
      ...(doc ? [`  /** ${doc.replaceAll('*/', '*\\/')} */`] : []),
      `  ${key(t.name)}(args: ${schemaType(t.inputSchema)}): Promise<any>;`,
    ];
  });
  return ['declare const tools: {', ...lines, '};'].join('\n');
}
