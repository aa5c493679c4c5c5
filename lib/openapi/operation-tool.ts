// One OpenAPI operation → one ServerSpec tool (HTTP kind), for the runner's template rules
// (workers/runner/src/tools/templates.ts): {arg} in the URL is percent-encoded, a query pair whose
// argument is absent is dropped, and without a body template a POST/PUT/PATCH sends the arguments
// not used in the URL or headers as its JSON body.
import { defaultToolScopes, type ServerSpecInput } from '../spec/server-spec';
import { isObject, type OpenApiObject } from './document';
import { toJsonSchema } from './json-schema';
import { proposePagination } from './pagination-proposal';
import type { SecretPlacement } from './security';

type ToolInput = ServerSpecInput['tools'][number];

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

// RFC 9110 §11.6.2/§8.3: these are set by the platform (auth, content negotiation), not by a tool.
const RESERVED_HEADERS = new Set(['authorization', 'accept', 'content-type', 'cookie', 'host']);

export interface RawOperation {
  id: string;
  method: HttpMethod;
  path: string;
  op: OpenApiObject;
  pathItem: OpenApiObject;
}

export type ToolResult =
  { ok: true; tool: ToolInput; warnings: string[] } | { ok: false; reason: string };

/** A safe argument name: JSON-Schema-friendly and usable as a {placeholder}. */
export function argName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `p_${cleaned || 'arg'}`;
}

/** operationId or method+path → a tool name matching ServerSpec's ^[A-Za-z][A-Za-z0-9_]{0,63}$. */
export function toolNameFor(raw: Pick<RawOperation, 'op' | 'method' | 'path'>): string {
  const base =
    typeof raw.op.operationId === 'string' && raw.op.operationId.trim()
      ? raw.op.operationId
      : `${raw.method}_${raw.path.replace(/[{}]/g, '')}`;
  const name = base
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  return (/^[A-Za-z]/.test(name) ? name : `op_${name}`).slice(0, 64);
}

interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Record<string, unknown>;
}

function collectParams(raw: RawOperation): Param[] {
  // Operation-level parameters override path-level ones with the same name+location (OAS 3 §4.8.10).
  const byKey = new Map<string, Param>();
  for (const list of [raw.pathItem.parameters, raw.op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      if (!isObject(p) || typeof p.name !== 'string') continue;
      const where = p.in;
      if (where !== 'path' && where !== 'query' && where !== 'header' && where !== 'cookie')
        continue;
      const schema = toJsonSchema(p.schema ?? firstContentSchema(p.content));
      if (typeof p.description === 'string' && schema.description === undefined) {
        schema.description = p.description;
      }
      if (p.example !== undefined && schema.examples === undefined) schema.examples = [p.example];
      byKey.set(`${where}:${p.name}`, {
        name: p.name,
        in: where,
        required: where === 'path' || p.required === true,
        schema,
      });
    }
  }
  return [...byKey.values()];
}

function firstContentSchema(content: unknown): unknown {
  if (!isObject(content)) return undefined;
  const first = Object.values(content)[0];
  return isObject(first) ? first.schema : undefined;
}

type Body =
  | { kind: 'none' }
  | {
      kind: 'json' | 'form';
      mediaType: string;
      schema: Record<string, unknown>;
      required: boolean;
      example?: unknown;
    }
  | { kind: 'unsupported'; mediaTypes: string[] };

function requestBody(op: OpenApiObject): Body {
  const rb = op.requestBody;
  if (!isObject(rb) || !isObject(rb.content)) return { kind: 'none' };
  const types = Object.keys(rb.content);
  const json = types.find((t) => /^application\/(.+\+)?json\b/i.test(t));
  const form = types.find((t) => /^application\/x-www-form-urlencoded\b/i.test(t));
  const chosen = json ?? form;
  if (!chosen) return types.length ? { kind: 'unsupported', mediaTypes: types } : { kind: 'none' };
  const media = rb.content[chosen];
  const mediaObj = isObject(media) ? media : {};
  const examples = isObject(mediaObj.examples) ? Object.values(mediaObj.examples) : [];
  const example =
    mediaObj.example ?? (isObject(examples[0]) ? (examples[0] as OpenApiObject).value : undefined);
  return {
    kind: json ? 'json' : 'form',
    mediaType: chosen,
    schema: toJsonSchema(mediaObj.schema),
    required: rb.required === true,
    example,
  };
}

/** Builds the tool for one operation against `baseUrl`, using the chosen secret placements. */
export function operationTool(
  raw: RawOperation,
  name: string,
  baseUrl: string,
  placements: SecretPlacement[],
): ToolResult {
  const warnings: string[] = [];
  const params = collectParams(raw);
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const headers: Record<string, string> = {};
  const query: string[] = [];
  const queryArgs: Record<string, string> = {};
  let path = raw.path;

  for (const p of params) {
    if (p.in === 'cookie') {
      if (p.required)
        return {
          ok: false,
          reason: `needs the cookie parameter "${p.name}", which tools cannot send`,
        };
      warnings.push(`${name}: cookie parameter "${p.name}" skipped`);
      continue;
    }
    if (p.in === 'header' && RESERVED_HEADERS.has(p.name.toLowerCase())) continue;
    const arg = uniqueArg(argName(p.name), properties);
    properties[arg] = p.schema;
    if (p.required) required.push(arg);
    if (p.in === 'path') path = path.split(`{${p.name}}`).join(`{${arg}}`);
    else if (p.in === 'query') {
      query.push(`${encodeURIComponent(p.name)}={${arg}}`);
      queryArgs[p.name] = arg;
    } else headers[p.name] = `{${arg}}`;
  }
  const unbound = /\{([^}]+)\}/.exec(path.replace(/\{[A-Za-z][A-Za-z0-9_]*\}/g, ''));
  if (unbound) return { ok: false, reason: `path parameter {${unbound[1]}} is not described` };

  let body: Record<string, unknown> | string | null = null;
  const rb = requestBody(raw.op);
  if (rb.kind === 'unsupported') {
    return {
      ok: false,
      reason: `request body type ${rb.mediaTypes.join(', ')} is not supported (JSON only)`,
    };
  }
  if (rb.kind === 'form') {
    return { ok: false, reason: 'form-encoded request bodies are not supported yet (JSON only)' };
  }
  if (rb.kind === 'json') {
    headers['Content-Type'] = 'application/json';
    const props = isObject(rb.schema.properties) ? rb.schema.properties : undefined;
    const keys = Object.keys(props ?? {});
    const example = isObject(rb.example) ? rb.example : {};
    const bodyRequired = new Set(Array.isArray(rb.schema.required) ? rb.schema.required : []);
    if (props && keys.length > 0 && keys.every((k) => argName(k) === k && !(k in properties))) {
      // Object bodies are flattened so the model sees the fields as arguments. With no body
      // template the runner sends every argument not used in the URL or headers as the JSON body,
      // so absent optional fields are left out rather than sent as null.
      for (const [key, schema] of Object.entries(props)) {
        const s = { ...(schema as Record<string, unknown>) };
        if (example[key] !== undefined && s.examples === undefined) s.examples = [example[key]];
        properties[key] = s;
        if (bodyRequired.has(key) && rb.required) required.push(key);
      }
    } else if (props && keys.length > 0 && keys.every((k) => !(argName(k) in properties))) {
      const template: Record<string, string> = {};
      for (const [key, schema] of Object.entries(props)) {
        const arg = argName(key);
        properties[arg] = schema;
        template[key] = `{${arg}}`;
        if (bodyRequired.has(key) && rb.required) required.push(arg);
      }
      body = template;
    } else {
      const arg = uniqueArg('body', properties);
      const s = { ...rb.schema };
      if (rb.example !== undefined && s.examples === undefined) s.examples = [rb.example];
      properties[arg] = s;
      if (rb.required) required.push(arg);
      body = `{${arg}}`;
    }
  }
  for (const p of placements) headers[p.header] = p.value;

  const method = raw.method.toUpperCase() as ToolInput['http']['method'];
  const annotations =
    method === 'GET' || method === 'HEAD'
      ? { readOnlyHint: true, openWorldHint: true }
      : method === 'DELETE'
        ? { destructiveHint: true, idempotentHint: true, openWorldHint: true }
        : { readOnlyHint: false, idempotentHint: method === 'PUT', openWorldHint: true };
  const pagination = proposePagination(raw.method, raw.op, queryArgs);
  const summary = typeof raw.op.summary === 'string' ? raw.op.summary.trim() : '';
  const description = typeof raw.op.description === 'string' ? raw.op.description.trim() : '';
  const tool: ToolInput = {
    name,
    ...(summary ? { title: summary.slice(0, 200) } : {}),
    description: (description || summary || `${method} ${raw.path}`).slice(0, 4000),
    inputSchema: {
      type: 'object',
      properties,
      ...(required.length ? { required: [...new Set(required)] } : {}),
      additionalProperties: false,
    },
    annotations,
    scopes: defaultToolScopes({ annotations }),
    http: {
      method,
      url: `${baseUrl}${path}${query.length ? `?${query.join('&')}` : ''}`,
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(body !== null ? { body } : {}),
    },
    ...(pagination ? { response: { pagination } } : {}),
  };
  return { ok: true, tool, warnings };
}

function uniqueArg(arg: string, taken: Record<string, unknown>): string {
  let candidate = arg;
  for (let i = 2; taken[candidate] !== undefined; i++) candidate = `${arg}_${i}`;
  return candidate;
}
