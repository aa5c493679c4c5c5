// An OpenAPI 3.0/3.1 document → a proposed ServerSpec (wizard step 1). Every operation is listed so
// the user can pick; by default the first DEFAULT_SELECTION supported ones become tools.
import { MAX_SERVER_TOOLS } from '../spec/discovery-mode';
import { RESERVED_SLUGS, SLUG_PATTERN, hostOf, type ServerSpecInput } from '../spec/server-spec';
import { OpenApiError, isObject, readOpenApiDocument, type OpenApiObject } from './document';
import { HTTP_METHODS, operationTool, toolNameFor, type RawOperation } from './operation-tool';
import { connectionNames, proposedConnections } from './connection-scheme';
import { chooseSecurity, type SecretPlacement } from './security';
import { proposeToolsets, type TaggedTool } from './toolset-proposal';

export const DEFAULT_SELECTION = 20;
export const MAX_TOOLS = MAX_SERVER_TOOLS;

export interface OperationSummary {
  /** operationId, or "METHOD /path" when the document has none. The key for `operations`. */
  id: string;
  method: string;
  path: string;
  summary?: string;
  toolName: string;
  selected: boolean;
  /** false when Moat cannot call it (see `reason`); such operations can't be selected. */
  supported: boolean;
  reason?: string;
}

export interface OpenApiConversion {
  spec: ServerSpecInput;
  warnings: string[];
  operations: OperationSummary[];
}

export interface ConvertOptions {
  name?: string;
  slug?: string;
  /** Operation ids to turn into tools; default: the first DEFAULT_SELECTION supported ones. */
  operations?: string[];
  /** Base URL when `servers[0].url` is missing or relative. */
  baseUrl?: string;
}

export async function openApiToServerSpec(
  text: string,
  options: ConvertOptions = {},
): Promise<OpenApiConversion> {
  const { doc } = await readOpenApiDocument(text);
  return convertDocument(doc, options);
}

export function convertDocument(
  doc: OpenApiObject,
  options: ConvertOptions = {},
): OpenApiConversion {
  const warnings: string[] = [];
  const info = isObject(doc.info) ? doc.info : {};
  const components = isObject(doc.components) ? doc.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const raws = listOperations(doc);
  const title = typeof info.title === 'string' && info.title.trim() ? info.title.trim() : 'My API';
  const oauthNames = connectionNames(schemes, title);
  if (raws.length === 0) {
    throw new OpenApiError(
      'openapi_no_operations',
      'The document describes no operations under "paths".',
    );
  }

  const usedNames = new Set<string>();
  const built = raws.map((raw) => {
    let toolName = toolNameFor(raw);
    for (let i = 2; usedNames.has(toolName); i++)
      toolName = `${toolNameFor(raw).slice(0, 60)}_${i}`;
    usedNames.add(toolName);
    const base = baseUrlFor(raw, doc, options.baseUrl);
    if (!base.ok) {
      return {
        raw,
        toolName,
        result: { ok: false as const, reason: base.reason },
        noBaseUrl: base.missing === true,
      };
    }
    const security = chooseSecurity(raw.op.security ?? doc.security, schemes, oauthNames);
    if (!security.ok)
      return { raw, toolName, result: { ok: false as const, reason: security.reason } };
    const result = operationTool(raw, toolName, base.url, security.placements);
    return { raw, toolName, result, placements: security.placements };
  });

  const wanted = options.operations ? new Set(options.operations) : undefined;
  if (wanted) {
    const known = new Set(raws.map((r) => r.id));
    const unknown = [...wanted].filter((id) => !known.has(id));
    if (unknown.length)
      warnings.push(`Unknown operations ignored: ${unknown.slice(0, 10).join(', ')}`);
  }
  let selectedCount = 0;
  const operations: OperationSummary[] = [];
  const tools: ServerSpecInput['tools'] = [];
  const tagged: TaggedTool[] = [];
  const secrets = new Map<string, SecretPlacement>();
  const usedPlacements: SecretPlacement[] = [];
  for (const b of built) {
    const supported = b.result.ok;
    const selected =
      supported &&
      (wanted ? wanted.has(b.raw.id) : selectedCount < DEFAULT_SELECTION) &&
      selectedCount < MAX_TOOLS;
    const summary = typeof b.raw.op.summary === 'string' ? b.raw.op.summary : undefined;
    operations.push({
      id: b.raw.id,
      method: b.raw.method.toUpperCase(),
      path: b.raw.path,
      ...(summary ? { summary } : {}),
      toolName: b.toolName,
      selected,
      supported,
      ...(b.result.ok ? {} : { reason: b.result.reason }),
    });
    if (!b.result.ok) {
      if (!wanted || wanted.has(b.raw.id)) warnings.push(`${b.raw.id} skipped: ${b.result.reason}`);
      continue;
    }
    if (!selected) continue;
    selectedCount++;
    tools.push(b.result.tool);
    tagged.push({ toolName: b.result.tool.name, tags: b.raw.op.tags });
    warnings.push(...b.result.warnings);
    for (const p of b.placements ?? []) secrets.set(p.secret, p);
    usedPlacements.push(...(b.placements ?? []));
  }
  if (tools.length === 0) {
    const failed = built.find((b) => !b.result.ok);
    const first = failed && !failed.result.ok ? failed.result.reason : undefined;
    throw new OpenApiError(
      failed?.noBaseUrl ? 'openapi_no_base_url' : 'openapi_no_operations',
      first
        ? `No operation could be turned into a tool: ${first}.`
        : 'No operation was selected; pick at least one.',
    );
  }
  const supportedCount = operations.filter((o) => o.supported).length;
  if (!wanted && supportedCount > DEFAULT_SELECTION) {
    warnings.push(
      `The document has ${supportedCount} usable operations; the first ${DEFAULT_SELECTION} are selected. Pick the ones you want with "operations".`,
    );
  }
  if (wanted && wanted.size > MAX_TOOLS)
    warnings.push(`At most ${MAX_TOOLS} tools per server; the rest were left out.`);
  if (Object.keys(schemes).length === 0 && tools.length > 0) {
    warnings.push(
      'The document declares no security schemes. If the API needs a key or token, add a secret and a header to each tool.',
    );
  }
  for (const p of secrets.values()) if (p.warning) warnings.push(p.warning);
  const connections = proposedConnections(usedPlacements, title);
  for (const c of connections) {
    warnings.push(
      `Connection "${c.name}": each user links their own account at the provider. Register an OAuth app there with Moat's redirect URI (shown in the review step), then enter its client ID here and its client secret as ${c.clientSecret}. The server cannot be built until the client ID is filled in.`,
    );
  }

  const toolsets = proposeToolsets(doc, tagged, supportedCount);
  if (toolsets) {
    warnings.push(
      `Proposed ${toolsets.length} toolsets from the document's tags: each is served at its own URL with only its tools. Edit or remove them on the review step.`,
    );
  }

  const egress = [...new Set(tools.map((t) => hostOf(t.http.url)).filter((h): h is string => !!h))];
  const description = typeof info.description === 'string' ? info.description.trim() : '';
  const spec: ServerSpecInput = {
    name: (options.name ?? title).slice(0, 100),
    slug: options.slug ?? slugFrom(options.name ?? title),
    ...(description ? { description: description.slice(0, 2000) } : {}),
    visibility: 'private',
    secrets: [...secrets.values()].map((p) => ({ name: p.secret, description: p.description })),
    egress,
    tools,
    ...(connections.length ? { connections } : {}),
    ...(toolsets ? { toolsets } : {}),
  };
  return { spec, warnings, operations };
}

function listOperations(doc: OpenApiObject): RawOperation[] {
  const out: RawOperation[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const op = pathItem[method];
      if (!isObject(op)) continue;
      const id =
        typeof op.operationId === 'string' && op.operationId.trim()
          ? op.operationId.trim()
          : `${method.toUpperCase()} ${path}`;
      out.push({ id, method, path, op, pathItem });
    }
  }
  return out;
}

/** `missing`: no usable absolute base URL at all (openapi_no_base_url when nothing else works). */
type BaseUrl = { ok: true; url: string } | { ok: false; reason: string; missing?: true };

/** The operation's (or path's, or document's) first server, with variables at their defaults. */
function baseUrlFor(raw: RawOperation, doc: OpenApiObject, override?: string): BaseUrl {
  const servers = [raw.op.servers, raw.pathItem.servers, doc.servers].find(
    (s) => Array.isArray(s) && s.length > 0,
  ) as unknown[] | undefined;
  const server = isObject(servers?.[0]) ? servers[0] : undefined;
  let url = typeof server?.url === 'string' ? server.url : '';
  const vars = isObject(server?.variables) ? server.variables : {};
  url = url.replace(/\{([^}]+)\}/g, (m, v: string) => {
    const variable = vars[v];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : m;
  });
  if (!/^https?:\/\//i.test(url)) {
    if (!override) {
      return {
        ok: false,
        missing: true,
        reason: url
          ? `the server URL "${url}" is relative; put the API's absolute URL in servers[0].url, or pass it as baseUrl`
          : 'the document names no server URL; add servers[0].url, or pass the API base URL as baseUrl',
      };
    }
    try {
      url = new URL(url || '/', override).toString();
    } catch {
      return { ok: false, missing: true, reason: `baseUrl "${override}" is not a valid URL` };
    }
  }
  if (/\{[^}]*\}/.test(url))
    return { ok: false, reason: `server URL "${url}" has an undefined variable` };
  return { ok: true, url: url.replace(/\/+$/, '') };
}

/** A valid, non-reserved slug from a title ("Swagger Petstore - OpenAPI 3.0" → "swagger-petstore-openapi-3-0"). */
export function slugFrom(title: string): string {
  let slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  if (slug.length < 3) slug = `${slug || 'api'}-server`;
  if (!SLUG_PATTERN.test(slug) || RESERVED_SLUGS.has(slug))
    slug = `${slug.slice(0, 33)}-server`.replace(/^-+/, '');
  return SLUG_PATTERN.test(slug) ? slug : 'my-api-server';
}
