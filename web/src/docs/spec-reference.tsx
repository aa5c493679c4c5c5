// The ServerSpec reference, generated at runtime from the one schema in lib/spec (z.toJSONSchema),
// so the docs cannot drift from what the API validates.
import { z } from 'zod';
import { ServerSpecSchema } from '../../../lib/spec/server-spec';
import { Code } from '../ui';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  default?: unknown;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};

export const specJsonSchema = z.toJSONSchema(ServerSpecSchema, {
  io: 'input',
  unrepresentable: 'any',
}) as JsonSchema;

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.type === 'array' && s.items) return `${typeOf(s.items)}[]`;
  if (
    s.type === 'object' &&
    !s.properties &&
    s.additionalProperties &&
    typeof s.additionalProperties === 'object'
  )
    return `{ [key]: ${typeOf(s.additionalProperties)} }`;
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
}

function constraints(s: JsonSchema): string {
  const c: string[] = [];
  if (s.pattern) c.push(`pattern ${s.pattern}`);
  if (s.minLength !== undefined) c.push(`≥ ${s.minLength} chars`);
  if (s.maxLength !== undefined) c.push(`≤ ${s.maxLength} chars`);
  if (s.minItems !== undefined) c.push(`≥ ${s.minItems} items`);
  if (s.maxItems !== undefined) c.push(`≤ ${s.maxItems} items`);
  if (s.minimum !== undefined) c.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) c.push(`≤ ${s.maximum}`);
  if (s.default !== undefined) c.push(`default ${JSON.stringify(s.default)}`);
  return c.join(', ');
}

function rows(
  schema: JsonSchema,
  prefix: string,
  out: { path: string; type: string; required: boolean; notes: string }[],
) {
  const target = schema.type === 'array' && schema.items ? schema.items : schema;
  const base = schema.type === 'array' ? `${prefix}[]` : prefix;
  for (const [key, prop] of Object.entries(target.properties ?? {})) {
    const path = base ? `${base}.${key}` : key;
    out.push({
      path,
      type: typeOf(prop),
      required: (target.required ?? []).includes(key),
      notes: [prop.description ?? prop.items?.description, constraints(prop)]
        .filter(Boolean)
        .join(' · '),
    });
    const inner = prop.type === 'array' ? prop.items : prop;
    if (inner?.properties) rows(prop, path, out);
  }
  return out;
}

export function SpecReference() {
  const fields = rows(specJsonSchema, '', []);
  return (
    <>
      <div className="table-wrap">
        <table className="table" data-testid="spec-reference">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Type</th>
              <th scope="col">Required</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f.path}>
                <td>
                  <code>{f.path}</code>
                </td>
                <td>
                  <code className="small">{f.type}</code>
                </td>
                <td>{f.required ? 'yes' : 'no'}</td>
                <td className="small">{f.notes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>The full JSON Schema</summary>
        <Code label="ServerSpec JSON Schema">{JSON.stringify(specJsonSchema, null, 2)}</Code>
      </details>
    </>
  );
}
