// `moat snippets <server>`: how to add the server to Claude, Claude Code, Cursor, VS Code and the
// MCP Inspector — the same snippets the dashboard shows.
import { installSnippets } from '../../../lib/snippets.ts';
import { arg, noExtraArgs, type Context } from '../context.ts';
import { getServer } from '../server-ref.ts';

export async function snippets(ctx: Context): Promise<void> {
  const ref = arg(ctx, 0, 'server', 'moat snippets <server>');
  noExtraArgs(ctx, 1, 'moat snippets <server>');
  const server = await getServer(ctx.api, ref);
  const list = installSnippets(server.name, server.slug, server.url);
  ctx.out.result({ url: server.url, snippets: list }, () =>
    [
      `MCP URL: ${server.url}`,
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
