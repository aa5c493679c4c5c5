// ServerSpec v1: the source of truth for a hosted MCP server (DESIGN §4). Fields may be added,
// never renamed. Validate once at the boundary with ServerSpecSchema; inside, trust the type.
import { z } from 'zod';
import { AllowedOriginsSchema } from './allowed-origins';
import { CONNECTION_REF, ConnectionSchema } from './connections';
import { egressAllows } from './egress';
import { ResourceTemplateSchema, ToolSchema, type HttpCall, type Tool } from './http-tool';
import { MAX_RESOURCES_TOTAL_BYTES, PromptSchema, ResourceSchema } from './primitives';
import { readScopes, ScopeSchema } from './scopes';
import { RESERVED_SLUGS, SLUG_PATTERN } from './slug';
import { MAX_SERVER_TOOLS } from './discovery-mode';
import { DiscoveryModeSchema, ToolsetSchema } from './toolsets';
import { uriTemplateVariables } from './uri-template';

export { RESERVED_SLUGS, SLUG_PATTERN } from './slug';
export {
  HttpCallSchema,
  ResourceTemplateSchema,
  ToolAnnotationsSchema,
  ToolSchema,
  type HttpCall,
  type ResourceTemplate,
  type Tool,
} from './http-tool';

const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
const HOST_PATTERN =
  /^(?:\[[0-9a-fA-F:.]+\]|(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)(?::\d{1,5})?$/;
const SECRET_REF = /\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}/g;
const ARG_REF = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export { ScopeSchema };

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
    tools: z.array(ToolSchema).min(1).max(MAX_SERVER_TOOLS),
    resources: z.array(ResourceSchema).max(128).optional(),
    resourceTemplates: z.array(ResourceTemplateSchema).max(64).optional(),
    prompts: z.array(PromptSchema).max(64).optional(),
    allowedOrigins: AllowedOriginsSchema.optional(),
    connections: z.array(ConnectionSchema).max(8).optional(),
    toolsets: z.array(ToolsetSchema).max(32).optional(),
    // How tools are offered when no toolset says otherwise; absent: by tool count (docs/runner.md).
    mode: DiscoveryModeSchema.optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const declared = new Set(spec.secrets.map((s) => s.name));
    const connections = new Set((spec.connections ?? []).map((c) => c.name));
    const checkHttp = (http: HttpCall, path: (string | number)[]) => {
      for (const t of httpTemplates(http)) {
        for (const m of t.matchAll(SECRET_REF)) {
          if (!declared.has(m[1]!)) {
            issue([...path, 'http'], `uses secret ${m[1]} that is not declared in "secrets"`);
          }
        }
        for (const m of t.matchAll(CONNECTION_REF)) {
          if (!connections.has(m[1]!)) {
            issue(
              [...path, 'http'],
              `uses connection ${m[1]} that is not declared in "connections"`,
            );
          }
        }
      }
      // A downstream token in a URL ends up in access logs (RFC 6750 §2.3, §5.3).
      if (http.url.match(CONNECTION_REF)) {
        issue(
          [...path, 'http', 'url'],
          'a connection token may be used in headers or body, never in the URL',
        );
      }
      const host = hostOf(http.url);
      if (host && !egressAllows(spec.egress, host)) {
        issue([...path, 'http', 'url'], `host ${host} is not in "egress"`);
      }
    };
    const unique = (list: string, key: string, values: string[], what: string) => {
      const seen = new Set<string>();
      values.forEach((v, i) => {
        if (seen.has(v)) issue([list, i, key], `duplicate ${what}`);
        seen.add(v);
      });
    };

    unique(
      'tools',
      'name',
      spec.tools.map((t) => t.name),
      'tool name',
    );
    spec.tools.forEach((tool, i) => checkHttp(tool.http, ['tools', i]));

    const resources = spec.resources ?? [];
    const templates = spec.resourceTemplates ?? [];
    unique(
      'resources',
      'uri',
      resources.map((r) => r.uri),
      'resource uri',
    );
    unique(
      'resourceTemplates',
      'uriTemplate',
      templates.map((t) => t.uriTemplate),
      'uriTemplate',
    );
    // One namespace for resource and template names: clients show them in one list.
    const resourceNames = new Set(resources.map((r) => r.name));
    unique(
      'resources',
      'name',
      resources.map((r) => r.name),
      'resource name',
    );
    templates.forEach((t, i) => {
      if (resourceNames.has(t.name))
        issue(['resourceTemplates', i, 'name'], 'a resource already has this name');
    });
    unique(
      'resourceTemplates',
      'name',
      templates.map((t) => t.name),
      'resource template name',
    );
    let total = 0;
    resources.forEach((r, i) => {
      total += (r.text ?? r.blob ?? '').length;
      if (total > MAX_RESOURCES_TOTAL_BYTES) {
        issue(['resources', i], 'resources together may hold at most 1 MiB of text and blobs');
        total = -Infinity;
      }
    });
    templates.forEach((t, i) => {
      checkHttp(t.http, ['resourceTemplates', i]);
      // The URI's variables are the call's only arguments (RFC 6570 level 1, all required).
      const vars = new Set(uriTemplateVariables(t.uriTemplate));
      for (const tpl of [t.http.url, ...httpTemplates(t.http)]) {
        for (const m of tpl.replace(SECRET_REF, '').matchAll(ARG_REF)) {
          if (!vars.has(m[1]!)) {
            issue(['resourceTemplates', i, 'http'], `{${m[1]}} is not a variable of uriTemplate`);
          }
        }
      }
    });
    unique(
      'toolsets',
      'name',
      (spec.toolsets ?? []).map((t) => t.name),
      'toolset name',
    );
    const toolNames = new Set(spec.tools.map((t) => t.name));
    const primitiveNames = new Set([...resourceNames, ...templates.map((t) => t.name)]);
    const promptNames = new Set((spec.prompts ?? []).map((p) => p.name));
    (spec.toolsets ?? []).forEach((ts, i) => {
      ts.tools.forEach((n, j) => {
        if (!toolNames.has(n)) issue(['toolsets', i, 'tools', j], `no tool is named ${n}`);
      });
      (ts.resources ?? []).forEach((n, j) => {
        if (!primitiveNames.has(n))
          issue(['toolsets', i, 'resources', j], `no resource is named ${n}`);
      });
      (ts.prompts ?? []).forEach((n, j) => {
        if (!promptNames.has(n)) issue(['toolsets', i, 'prompts', j], `no prompt is named ${n}`);
      });
    });
    unique(
      'connections',
      'name',
      (spec.connections ?? []).map((c) => c.name),
      'connection name',
    );
    (spec.connections ?? []).forEach((c, i) => {
      if (c.clientSecret && !declared.has(c.clientSecret)) {
        issue(
          ['connections', i, 'clientSecret'],
          `secret ${c.clientSecret} is not declared in "secrets"`,
        );
      }
    });
    unique(
      'prompts',
      'name',
      (spec.prompts ?? []).map((p) => p.name),
      'prompt name',
    );
  });

/** Header and body templates of a call: where `{{secrets.X}}` may appear. */
function httpTemplates(http: HttpCall): string[] {
  return [
    ...Object.values(http.headers ?? {}),
    typeof http.body === 'string' ? http.body : JSON.stringify(http.body ?? ''),
  ];
}

export type ServerSpecInput = z.input<typeof ServerSpecSchema>;
export type ServerSpec = z.output<typeof ServerSpecSchema>;
export type { Prompt, PromptArgument, Resource } from './primitives';

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
export function serverScopes(
  spec: Pick<ServerSpec, 'tools'> &
    Partial<Pick<ServerSpec, 'resources' | 'resourceTemplates' | 'prompts'>>,
): string[] {
  const all = new Set<string>();
  for (const tool of spec.tools) for (const s of toolScopes(tool)) all.add(s);
  for (const p of [
    ...(spec.resources ?? []),
    ...(spec.resourceTemplates ?? []),
    ...(spec.prompts ?? []),
  ]) {
    for (const s of readScopes(p)) all.add(s);
  }
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
