// ServerSpec v1: the source of truth for a hosted MCP server (DESIGN §4). Fields may be added,
// never renamed. Validate once at the boundary with ServerSpecSchema; inside, trust the type.
import { z } from 'zod';
import { AllowedOriginsSchema } from './allowed-origins';
import { egressAllows } from './egress';

export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/** Slugs that would collide with platform paths or mislead users. */
export const RESERVED_SLUGS = new Set([
  'api',
  'admin',
  'auth',
  'app',
  'dashboard',
  'docs',
  'login',
  'logout',
  'mcp',
  'moat',
  'oauth',
  'register',
  'settings',
  'static',
  'status',
  'token',
  'v1',
  'well-known',
  'www',
]);

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
const HOST_PATTERN =
  /^(?:\[[0-9a-fA-F:.]+\]|(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)(?::\d{1,5})?$/;
const SECRET_REF = /\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}/g;

export const ScopeSchema = z
  .string()
  .regex(/^mcp:[a-z][a-z0-9_:.-]*$/, 'scopes look like "mcp:read" or "mcp:tools:<tool>"');

/** JSON Schema objects are passed through; the runner compiles them with @cfworker/json-schema. */
const JsonSchemaObject = z
  .object({ type: z.literal('object') })
  .catchall(z.unknown())
  .describe('A JSON Schema with "type": "object"');

export const ToolAnnotationsSchema = z
  .object({
    title: z.string().max(200).optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .strict();

export const HttpCallSchema = z
  .object({
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
    url: z
      .string()
      .max(2048)
      .regex(/^https?:\/\//, 'must start with https:// (or http:// for local APIs)')
      .refine((u) => !/\{\{\s*secrets\./.test(u), {
        message: 'secrets may not appear in the URL; put them in a header or the body',
      }),
    headers: z.record(z.string().max(128), z.string().max(4096)).optional(),
    body: z.union([z.string().max(65_536), z.record(z.string(), z.unknown()), z.null()]).optional(),
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
  })
  .strict();

export const ToolSchema = z
  .object({
    name: z.string().regex(NAME_PATTERN, 'letters, digits and _ only, starting with a letter'),
    title: z.string().max(200).optional(),
    description: z.string().min(1).max(4000),
    inputSchema: JsonSchemaObject,
    outputSchema: JsonSchemaObject.optional(),
    annotations: ToolAnnotationsSchema.optional(),
    scopes: z.array(ScopeSchema).max(16).optional(),
    http: HttpCallSchema,
  })
  .strict();

export const SecretDeclarationSchema = z
  .object({
    name: z.string().regex(SECRET_NAME_PATTERN, 'UPPER_SNAKE_CASE, starting with a letter'),
    description: z.string().max(500).optional(),
  })
  .strict();

export const ServerSpecSchema = z
  .object({
    name: z.string().min(1).max(100),
    slug: z
      .string()
      .regex(
        SLUG_PATTERN,
        '3–40 characters: lowercase letters, digits and -, starting with a letter',
      )
      .refine((s) => !RESERVED_SLUGS.has(s), { message: 'this slug is reserved' }),
    description: z.string().max(2000).optional(),
    visibility: z.enum(['private', 'org', 'public']).default('private'),
    secrets: z.array(SecretDeclarationSchema).max(32).default([]),
    egress: z.array(z.string().regex(HOST_PATTERN, 'a host name, optionally with :port')).max(32),
    tools: z.array(ToolSchema).min(1).max(128),
    allowedOrigins: AllowedOriginsSchema.optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const declared = new Set(spec.secrets.map((s) => s.name));
    const seen = new Set<string>();
    spec.tools.forEach((tool, i) => {
      if (seen.has(tool.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tools', i, 'name'],
          message: 'duplicate tool name',
        });
      }
      seen.add(tool.name);
      const templates = [
        ...Object.values(tool.http.headers ?? {}),
        typeof tool.http.body === 'string' ? tool.http.body : JSON.stringify(tool.http.body ?? ''),
      ];
      for (const t of templates) {
        for (const m of t.matchAll(SECRET_REF)) {
          if (!declared.has(m[1]!)) {
            ctx.addIssue({
              code: 'custom',
              path: ['tools', i, 'http'],
              message: `uses secret ${m[1]} that is not declared in "secrets"`,
            });
          }
        }
      }
      const host = hostOf(tool.http.url);
      if (host && !egressAllows(spec.egress, host)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tools', i, 'http', 'url'],
          message: `host ${host} is not in "egress"`,
        });
      }
    });
  });

export type ServerSpecInput = z.input<typeof ServerSpecSchema>;
export type ServerSpec = z.output<typeof ServerSpecSchema>;
export type Tool = z.output<typeof ToolSchema>;
export type HttpCall = z.output<typeof HttpCallSchema>;

/** host[:port] of a URL template, lowercased; undefined when the host itself is templated. */
export function hostOf(urlTemplate: string): string | undefined {
  const m = /^https?:\/\/([^/?#]+)/.exec(urlTemplate);
  if (!m || m[1]!.includes('{')) return undefined;
  return m[1]!.toLowerCase();
}

/** DESIGN §4: read-only → mcp:read, destructive → mcp:admin, anything else → mcp:write. */
export function defaultToolScopes(tool: Pick<Tool, 'annotations'>): string[] {
  if (tool.annotations?.readOnlyHint) return ['mcp:read'];
  if (tool.annotations?.destructiveHint) return ['mcp:admin'];
  return ['mcp:write'];
}

export function toolScopes(tool: Pick<Tool, 'annotations' | 'scopes'>): string[] {
  return tool.scopes && tool.scopes.length > 0 ? tool.scopes : defaultToolScopes(tool);
}

/** Every scope the server offers, sorted: its PRM `scopes_supported` and the AS's allow-list. */
export function serverScopes(spec: Pick<ServerSpec, 'tools'>): string[] {
  const all = new Set<string>();
  for (const tool of spec.tools) for (const s of toolScopes(tool)) all.add(s);
  return [...all].sort();
}

/** "tools.0.http.url: host x is not in egress" — one line per issue, naming the field path. */
export function formatSpecIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
}

/** The JSON Schema (draft 2020-12) of a ServerSpec as written by hand: for editors and docs. */
export function serverSpecJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://moat.dev/schemas/server-spec-v1.json',
    title: 'Moat ServerSpec v1',
    ...z.toJSONSchema(ServerSpecSchema, { io: 'input', unrepresentable: 'any' }),
  };
}
