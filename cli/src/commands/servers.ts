// `moat servers list|get|create|delete`.
import type {
  PublishedServer,
  ServerDetail,
  ServerList,
  ServerSummary,
} from '../../../lib/api/servers.ts';
import { modeReason } from '../../../lib/spec/discovery-mode.ts';
import { CliError, EXIT, usageError } from '../cli-error.ts';
import { arg, noExtraArgs, type Context } from '../context.ts';
import { table, when } from '../output.ts';
import { confirm } from '../prompt.ts';
import { getServer } from '../server-ref.ts';
import { readJsonFile } from './spec-file.ts';

const USAGE = 'moat servers list | get <server> | create -f spec.json | delete <server> [--yes]';

export async function servers(ctx: Context, sub: string | undefined): Promise<void> {
  if (sub === 'list' || sub === 'ls') return list(ctx);
  if (sub === 'get' || sub === 'show') return get(ctx);
  if (sub === 'create') return create(ctx);
  if (sub === 'delete' || sub === 'rm') return remove(ctx);
  throw usageError(
    sub ? `Unknown command "servers ${sub}".` : 'Missing a servers command.',
    `Usage: ${USAGE}`,
  );
}

async function list(ctx: Context): Promise<void> {
  noExtraArgs(ctx, 0, 'moat servers list');
  const { servers } = await ctx.api.get<ServerList>('/v1/servers');
  ctx.out.result(servers, () =>
    servers.length === 0
      ? 'No servers yet. Create one with `moat servers create -f spec.json` (or `moat preview` to draft a spec).'
      : table(servers, [
          { header: 'slug', value: (s) => s.slug },
          { header: 'name', value: (s) => s.name },
          { header: 'version', value: (s) => version(s) },
          { header: 'visibility', value: (s) => s.visibility },
          { header: 'updated', value: (s) => when(s.updatedAt) },
          { header: 'url', value: (s) => s.url },
        ]),
  );
}

/** `v3`, or `draft` before the first build publishes a version. */
const version = (s: Pick<ServerSummary, 'version'>) => (s.version ? `v${s.version}` : 'draft');

export function describeServer(s: ServerDetail): string {
  const tools = s.spec?.tools ?? [];
  return [
    `${s.name} (${s.slug}) — ${version(s)}, ${s.visibility}`,
    `  id       ${s.id}`,
    `  url      ${s.url}`,
    ...(s.description ? [`  about    ${s.description}`] : []),
    ...(s.spec ? [`  mode     ${modeReason(s.spec)}`] : []),
    ...(s.spec?.toolsets ?? []).map(
      (ts) => `  toolset  ${ts.name}: ${modeReason(s.spec!, { mode: ts.mode, tools: ts.tools })}`,
    ),
    '',
    tools.length === 0
      ? 'No tools.'
      : table(tools, [
          { header: 'tool', value: (t) => t.name },
          { header: 'description', value: (t) => t.description.slice(0, 70) },
        ]),
    '',
    s.secrets.length === 0
      ? 'No secrets needed.'
      : table(s.secrets, [
          { header: 'secret', value: (x) => x.name },
          { header: 'status', value: (x) => (x.set ? 'set' : 'NOT SET') },
          { header: 'updated', value: (x) => when(x.updatedAt) },
        ]),
  ].join('\n');
}

async function get(ctx: Context): Promise<void> {
  const ref = arg(ctx, 0, 'server', 'moat servers get <server>');
  noExtraArgs(ctx, 1, 'moat servers get <server>');
  const server = await getServer(ctx.api, ref);
  ctx.out.result(server, () => describeServer(server));
}

async function create(ctx: Context): Promise<void> {
  noExtraArgs(ctx, 0, 'moat servers create -f spec.json');
  if (!ctx.opts.file)
    throw usageError('Missing -f <spec.json>.', 'Usage: moat servers create -f spec.json');
  const spec = await readJsonFile(ctx.opts.file);
  const server = await ctx.api.request<PublishedServer>('POST', '/v1/servers', { body: spec });
  const missing = server.secrets.filter((s) => !s.set).map((s) => s.name);
  ctx.out.result(server, () =>
    [
      `Created ${server.slug} (v${server.version}): ${server.url}`,
      ...missing.map((n) => `Set its secret with: moat secrets set ${server.slug} ${n}`),
      `Install it in a client: moat snippets ${server.slug}`,
    ].join('\n'),
  );
}

async function remove(ctx: Context): Promise<void> {
  const ref = arg(ctx, 0, 'server', 'moat servers delete <server> [--yes]');
  noExtraArgs(ctx, 1, 'moat servers delete <server> [--yes]');
  const server = await getServer(ctx.api, ref);
  if (
    !ctx.opts.yes &&
    !(await confirm(`Delete ${server.slug} (${server.url})? Its URL stops working.`))
  ) {
    throw new CliError(`Not deleted: ${server.slug}.`, {
      exitCode: EXIT.usage,
      hint: process.stdin.isTTY ? undefined : 'Pass --yes to delete without a prompt.',
      code: 'not_confirmed',
    });
  }
  await ctx.api.request('DELETE', `/v1/servers/${encodeURIComponent(server.id)}`);
  ctx.out.result(
    { deleted: true, id: server.id, slug: server.slug },
    () => `Deleted ${server.slug}.`,
  );
}
