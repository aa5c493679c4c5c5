// A toolset as a server of its own (issue 14, docs/runner.md "Toolsets"). The runner serves
// `{RUNNER_ORIGIN}/{slug}/{toolset}/mcp` from the spec this returns, so everything downstream —
// the MCP server builder, discovery modes, scope checks, PRM `scopes_supported`, the AS's scope
// allow-list — sees only the toolset and needs no toolset logic of its own.
import type { ServerSpec } from './server-spec';
import type { Toolset } from './toolsets';

export function findToolset(spec: Pick<ServerSpec, 'toolsets'>, name: string): Toolset | undefined {
  return (spec.toolsets ?? []).find((t) => t.name === name);
}

/**
 * The server narrowed to toolset `name`, or undefined when the spec has no such toolset.
 * - tools, resources (and resource templates, one namespace) and prompts: only those the toolset
 *   names, in the toolset's order; a toolset that names no resources or prompts serves none.
 * - description (the MCP `instructions`): the toolset's, else the server's.
 * - name: "Server · Toolset" so clients can tell two toolsets of one server apart.
 * - mode: the toolset's, else the server's ("how tools are offered when no toolset says
 *   otherwise"); absent on both, the default by tool count applies to the toolset's tools.
 * - secrets, egress, connections, allowedOrigins, visibility: the server's (one server, one owner).
 * The result has no `toolsets`: a toolset has no toolsets of its own.
 */
export function narrowToToolset(spec: ServerSpec, name: string): ServerSpec | undefined {
  const toolset = findToolset(spec, name);
  if (!toolset) return undefined;
  const pick = <T extends { name: string }>(all: T[] | undefined, names: string[] | undefined) => {
    const byName = new Map((all ?? []).map((x) => [x.name, x]));
    return (names ?? []).flatMap((n) => {
      const x = byName.get(n);
      return x ? [x] : [];
    });
  };
  const { toolsets: _toolsets, mode: serverMode, ...rest } = spec;
  const mode = toolset.mode ?? serverMode;
  const description = toolset.description ?? spec.description;
  const resources = pick(spec.resources, toolset.resources);
  const resourceTemplates = pick(spec.resourceTemplates, toolset.resources);
  const prompts = pick(spec.prompts, toolset.prompts);
  return {
    ...rest,
    name: `${spec.name} · ${toolset.title ?? toolset.name}`,
    ...(description !== undefined ? { description } : {}),
    tools: pick(spec.tools, toolset.tools),
    ...(spec.resources ? { resources } : {}),
    ...(spec.resourceTemplates ? { resourceTemplates } : {}),
    ...(spec.prompts ? { prompts } : {}),
    ...(mode ? { mode } : {}),
  };
}
