// Sample arguments for a build's test call, from the tool's input schema: every required property
// and every optional one that offers an example. The owner can override them per tool.
type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function explicitExample(s: Schema): unknown {
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  return undefined;
}

/** A value that satisfies `schema` as far as a placeholder can. */
export function sampleValue(schema: unknown, depth = 0): unknown {
  if (!isSchema(schema)) return 'example';
  const explicit = explicitExample(schema);
  if (explicit !== undefined) return explicit;
  for (const key of ['oneOf', 'anyOf'] as const) {
    const first = Array.isArray(schema[key]) ? (schema[key] as unknown[])[0] : undefined;
    if (first !== undefined) return sampleValue(first, depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : schema.minItems ? [sampleValue(schema.items, depth + 1)] : [];
    case 'object':
      return depth > 4 ? {} : sampleArgs(schema, depth + 1);
    case 'null':
      return null;
    default:
      if (schema.format === 'date') return '2025-01-01';
      if (schema.format === 'date-time') return '2025-01-01T00:00:00Z';
      if (schema.format === 'email') return 'user@example.com';
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com';
      return 'example';
  }
}

export function sampleArgs(inputSchema: unknown, depth = 0): Record<string, unknown> {
  if (!isSchema(inputSchema) || !isSchema(inputSchema.properties)) return {};
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required : []);
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(inputSchema.properties)) {
    if (required.has(name)) out[name] = sampleValue(prop, depth);
    else if (isSchema(prop) && (Array.isArray(prop.examples) || prop.example !== undefined)) {
      out[name] = explicitExample(prop);
    }
  }
  return out;
}
