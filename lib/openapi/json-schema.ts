// OpenAPI Schema Objects → plain JSON Schema for tool input schemas. The dereferenced document is a
// graph (shared and, for recursive schemas, leftover "$ref" nodes); this makes a bounded tree of it.
import { isObject } from './document';

/** Deeper levels are replaced by an unconstrained schema: tools rarely need more, and it bounds size. */
export const MAX_SCHEMA_DEPTH = 6;

// OpenAPI-only keywords that mean nothing to a JSON Schema validator or a model.
const DROPPED = new Set(['xml', 'externalDocs', 'discriminator', 'example', 'nullable']);
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUBSCHEMAS = ['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else'];

/** A JSON Schema (draft 2020-12 flavoured) copy of an OpenAPI schema, at most MAX_SCHEMA_DEPTH deep. */
export function toJsonSchema(schema: unknown, depth = 0): Record<string, unknown> {
  if (!isObject(schema)) return {};
  if (typeof schema.$ref === 'string') {
    // Only recursive references survive dereferencing; describe instead of following forever.
    const name = schema.$ref.split('/').pop();
    return { description: `A ${name ?? 'nested'} object (recursive; not expanded).` };
  }
  if (depth >= MAX_SCHEMA_DEPTH) return { description: 'Nested value (not expanded).' };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (SUBSCHEMA_MAPS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, toJsonSchema(v, depth + 1)]),
      );
    } else if (SUBSCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => toJsonSchema(v, depth + 1));
    } else if (SUBSCHEMAS.includes(key) && isObject(value)) {
      out[key] = toJsonSchema(value, depth + 1);
    } else {
      out[key] = structuredCloneJson(value);
    }
  }
  // OpenAPI 3.0: `example` → JSON Schema `examples`; `nullable: true` → a "null" type.
  if (schema.example !== undefined && out.examples === undefined) {
    out.examples = [structuredCloneJson(schema.example)];
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null'))
      out.type = [...out.type, 'null'];
  }
  return out;
}

function structuredCloneJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** The first example or default a schema offers, for sample arguments. */
export function exampleOf(schema: Record<string, unknown>): unknown {
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  return undefined;
}
