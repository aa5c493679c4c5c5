// The build log's definition sizes (issue 14): per tool, per toolset and for the server, in
// estimated tokens (lib/spec/definition-size.ts: compact JSON of each tools/list entry at ~4
// characters a token), with a warning past the thresholds there. A warning never fails a build.
import {
  DEFINITION_TOKENS_WARNING,
  TOOL_DEFINITION_TOKENS_WARNING,
  definitionSizes,
} from '../../../../../lib/spec/definition-size';
import { resolveMode } from '../../../../../lib/spec/discovery-mode';
import type { ServerSpec } from '../../../../../lib/spec/server-spec';
import type { Log } from './build-step';

const fmt = (n: number) => n.toLocaleString('en-US');
/** search and code modes list a few fixed tools, not these definitions (docs/runner.md). */
const listsAll = (mode: string) => mode === 'tools';

export async function logDefinitionSizes(spec: ServerSpec, log: Log): Promise<void> {
  const sizes = definitionSizes(spec);
  for (const t of sizes.tools) {
    const big = t.tokens > TOOL_DEFINITION_TOKENS_WARNING;
    await log(
      'compile',
      big ? 'warn' : 'info',
      `Definition of ${t.name}: ~${fmt(t.tokens)} tokens` +
        (big
          ? ` (over ${fmt(TOOL_DEFINITION_TOKENS_WARNING)}: shorten its description or schema).`
          : '.'),
    );
  }
  for (const ts of sizes.toolsets) {
    const toolset = spec.toolsets?.find((x) => x.name === ts.name);
    const big = listsAll(resolveMode(spec, toolset)) && ts.tokens > DEFINITION_TOKENS_WARNING;
    await log(
      'compile',
      big ? 'warn' : 'info',
      `Toolset ${ts.name}: ${ts.tools} tool(s), ~${fmt(ts.tokens)} definition tokens` +
        (big ? ` (over ${fmt(DEFINITION_TOKENS_WARNING)}: split it or use search mode).` : '.'),
    );
  }
  const big = listsAll(resolveMode(spec)) && sizes.total > DEFINITION_TOKENS_WARNING;
  await log(
    'compile',
    big ? 'warn' : 'ok',
    `Tool definitions: ~${fmt(sizes.total)} tokens for ${spec.tools.length} tool(s) at the server's URL ` +
      '(estimated at 4 characters a token)' +
      (big
        ? `, over ${fmt(DEFINITION_TOKENS_WARNING)}: clients will spend that much context before the first call; group tools into toolsets or use search mode.`
        : '.'),
  );
}
