// The build log's line on discovery modes (docs/runner.md "Discovery modes"): how the server and
// each toolset will offer their tools, and why — the same rule the runner applies.
import { modeReason } from '../../../../../lib/spec/discovery-mode';
import type { ServerSpec } from '../../../../../lib/spec/server-spec';

export function discoveryModes(spec: ServerSpec): string {
  const toolsets = (spec.toolsets ?? []).map((ts) => {
    const tools = spec.tools.filter((t) => ts.tools.includes(t.name));
    return `${ts.name}: ${modeReason(spec, { mode: ts.mode, tools })}`;
  });
  return [
    `Discovery mode: ${modeReason(spec)}.`,
    ...(toolsets.length ? [`Toolsets — ${toolsets.join('; ')}.`] : []),
  ].join(' ');
}
