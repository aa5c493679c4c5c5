// `moat snippets <server> [--toolset <name>]`: how to add the server (or one of its toolsets, at
// its own URL) to Claude, Claude Code, Cursor, VS Code and the MCP Inspector — the same snippets
// the dashboard shows.
import { installSnippets, toolsetSnippets, toolsetUrl } from '../../../lib/snippets.ts';
import { usageError } from '../cli-error.ts';
import { arg, noExtraArgs, type Context } from '../context.ts';
import { getServer } from '../server-ref.ts';

const USAGE = 'moat snippets <server> [--toolset <name>]';

export async function snippets(ctx: Context): Promise<void> {
  const ref = arg(ctx, 0, 'server', USAGE);
  noExtraArgs(ctx, 1, USAGE);
  const server = await getServer(ctx.api, ref);
  const name = ctx.opts.toolset;
  const toolset =
    name === undefined ? undefined : server.spec?.toolsets?.find((t) => t.name === name);
  if (name !== undefined && !toolset) {
    const known = (server.spec?.toolsets ?? []).map((t) => t.name);
    throw usageError(
      `${server.slug} has no toolset "${name}".`,
      known.length ? `Its toolsets: ${known.join(', ')}` : 'It has no toolsets.',
    );
  }
  const url = toolset ? toolsetUrl(server.url, toolset.name) : server.url;
  const list = toolset
    ? toolsetSnippets(server, toolset)
    : installSnippets(server.name, server.slug, server.url);
  ctx.out.result({ url, snippets: list }, () =>
    [
      `MCP URL: ${url}`,
      ...list.flatMap((s) => [
        '',
        `## ${s.client}`,
        s.how,
        '',
        s.code
          .split('\n')
          .map((l) => `    ${l}`)
          .join('\n'),
        ...(s.link ? ['', `    ${s.link}`] : []),
      ]),
    ].join('\n'),
  );
}
