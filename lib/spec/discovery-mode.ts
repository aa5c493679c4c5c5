// Which discovery mode a server (or one toolset of it) is served in (issue 14, DESIGN §9,
// docs/runner.md "Discovery modes"). One rule for the runner, the build log and the dashboard:
// the owner's choice when there is one, else every tool listed up to SEARCH_MODE_THRESHOLD tools,
// and search mode past it (docs/decisions.md 2026-12-03 gives the token figures behind it).
import type { DiscoveryMode } from './toolsets';

/**
 * Past this many tools a server without an explicit `mode` is served in search mode. 40 tools
 * of a typical API description cost ~10k definition tokens (measured by `npm run bench`); the
 * three search tools cost ~0.5k whatever the size, and clients such as Cursor stop offering tools
 * past 40.
 */
export const SEARCH_MODE_THRESHOLD = 40;

/** The most tools one server may hold: search and code mode keep even this many usable. */
export const MAX_SERVER_TOOLS = 1000;

type Modal = { mode?: DiscoveryMode | undefined; tools: readonly unknown[] };

/**
 * The mode a spec is served in. For a toolset URL pass the toolset: its `mode`, else the server's
 * (as lib/spec/narrow-to-toolset.ts does), else by the toolset's own tool count.
 */
export function resolveMode(spec: Modal, toolset?: Modal): DiscoveryMode {
  const chosen = toolset?.mode ?? spec.mode;
  if (chosen) return chosen;
  return (toolset ?? spec).tools.length > SEARCH_MODE_THRESHOLD ? 'search' : 'tools';
}

/** How a mode was chosen, in words: for the build log, the dashboard and the CLI. */
export function modeReason(spec: Modal, toolset?: Modal): string {
  const mode = resolveMode(spec, toolset);
  const subject = toolset ?? spec;
  if (toolset?.mode) return `${mode} (set on the toolset)`;
  if (spec.mode) return `${mode} (set on the server)`;
  const n = subject.tools.length;
  const count = `${n} tool${n === 1 ? '' : 's'}`;
  return mode === 'search'
    ? `search (${count}, more than ${SEARCH_MODE_THRESHOLD})`
    : `tools (${count}, at most ${SEARCH_MODE_THRESHOLD})`;
}
