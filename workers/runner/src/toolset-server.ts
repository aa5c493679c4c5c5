// A toolset of a hosted server, served at `{RUNNER_ORIGIN}/{slug}/{toolset}/mcp` as a protected
// resource of its own (issue 14, docs/runner.md "Toolsets"): its own `resource` (the RFC 8707
// audience its tokens must carry), its own PRM (RFC 9728 §3.1) and only its tools' scopes. The
// chain treats the result like any server: the narrowing is lib/spec/narrow-to-toolset.ts.
import { narrowToToolset } from '../../../lib/spec/narrow-to-toolset';
import { serverScopes } from '../../../lib/spec/server-spec';
import { TOOLSET_NAME_PATTERN } from '../../../lib/spec/toolsets';
import type { HostedServer } from './server-cache';

// Published versions are immutable and the cache hands out one object per version, so a view is
// computed once per (version, toolset) and dropped with the version.
const views = new WeakMap<HostedServer, Map<string, HostedServer>>();

/** The toolset `name` of `server` as a server of its own; undefined when it has no such toolset. */
export function toolsetServer(
  env: Pick<Env, 'RUNNER_ORIGIN'>,
  server: HostedServer,
  name: string,
): HostedServer | undefined {
  if (!TOOLSET_NAME_PATTERN.test(name)) return undefined;
  let byName = views.get(server);
  if (!byName) views.set(server, (byName = new Map()));
  const cached = byName.get(name);
  if (cached) return cached;
  // Only toolsets the spec has are remembered: unknown names (anyone can send them) are not.
  const spec = narrowToToolset(server.spec, name);
  if (!spec) return undefined;
  const path = `${server.slug}/${name}`;
  const view: HostedServer = {
    ...server,
    spec,
    scopes: serverScopes(spec),
    resource: `${env.RUNNER_ORIGIN}/${path}/mcp`,
    path,
    toolset: name,
  };
  byName.set(name, view);
  return view;
}
