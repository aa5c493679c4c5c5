// `moat build <server> [--follow] [-f spec.json] [--test-writes]`: starts a build (validate,
// secrets, compile, test each tool, publish, smoke test) and, with --follow, streams its log over
// the build's WebSocket (GET /v1/builds/:id/log), falling back to polling when it cannot open.
import type {
  Build,
  BuildLogLine,
  BuildLogMessage,
  BuildOutcome,
  BuildStarted,
} from '../../../lib/api/builds.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { arg, noExtraArgs, type Context } from '../context.ts';
import { resolveServerId } from '../server-ref.ts';
import { readJsonFile } from './spec-file.ts';

const USAGE = 'moat build <server> [--follow] [-f spec.json] [--test-writes]';

type LogLine = BuildLogLine;

const MARK: Record<string, string> = { ok: '✓', warn: '!', error: '✗', info: '·' };

export async function build(ctx: Context): Promise<void> {
  const ref = arg(ctx, 0, 'server', USAGE);
  noExtraArgs(ctx, 1, USAGE);
  const id = await resolveServerId(ctx.api, ref);
  const body = {
    ...(ctx.opts.file ? { spec: await readJsonFile(ctx.opts.file) } : {}),
    ...(ctx.opts['test-writes'] ? { testWrites: true } : {}),
  };
  const started = await ctx.api.request<BuildStarted>(
    'POST',
    `/v1/servers/${encodeURIComponent(id)}/builds`,
    { body },
  );
  if (!ctx.opts.follow) {
    ctx.out.result(started, () =>
      [
        `Build ${started.id} is ${started.status} for ${started.server.slug}.`,
        `Follow it: moat build ${ref} --follow   (or GET /v1/builds/${started.id})`,
      ].join('\n'),
    );
    return;
  }
  const printed = new Set<number>();
  const stop = ctx.out.spinner('Building…');
  const show = (line: LogLine) => {
    if (printed.has(line.seq)) return;
    printed.add(line.seq);
    if (!ctx.out.json) {
      stop();
      ctx.out.note(`${MARK[line.level] ?? '·'} [${line.step}] ${line.message}`);
    }
  };
  try {
    if (!(await streamLog(ctx, started.id, show))) await pollBuild(ctx, started.id, show);
  } finally {
    stop();
  }
  // The build has ended: its final state has the whole log (lines the socket missed too).
  const final = await ctx.api.get<Build>(`/v1/builds/${encodeURIComponent(started.id)}`);
  for (const line of final.log) show(line);
  if (final.status === 'failed') {
    const e = final.error;
    throw new CliError(
      `Build ${final.id} failed at ${e?.step ?? 'an unknown step'}: ${e?.message ?? ''}`,
      {
        exitCode: EXIT.failure,
        hint: e?.fix ?? 'Read the log above, fix the spec or secrets, and build again.',
        code: 'build_failed',
      },
    );
  }
  ctx.out.result(final, () =>
    [
      `Build ${final.id} succeeded: version ${final.version ?? '?'} is live at ${final.url}`,
      `Install it in a client: moat snippets ${final.slug}`,
    ].join('\n'),
  );
}

/** The WebSocket log; undefined when it cannot be opened (then the caller polls). */
async function streamLog(
  ctx: Context,
  id: string,
  show: (l: LogLine) => void,
): Promise<BuildOutcome | undefined> {
  const url = new URL(`${ctx.apiUrl}/v1/builds/${encodeURIComponent(id)}/log`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  // Node's WebSocket (undici) takes request headers as an extension of the second argument.
  const init = { headers: { authorization: await ctx.api.authorization() } };
  const ws = new WebSocket(url, init as unknown as string[]);
  return new Promise((resolve) => {
    let opened = false;
    let done: BuildOutcome | undefined;
    ws.onopen = () => (opened = true);
    ws.onmessage = (ev) => {
      try {
        const msg = JSON.parse(String(ev.data)) as BuildLogMessage;
        if (msg.type === 'line') show(msg.line);
        else if (msg.type === 'done') done = msg.build;
      } catch {
        // not ours to interpret; the final GET has the whole log
      }
    };
    ws.onerror = () => undefined;
    ws.onclose = () => resolve(opened ? done : undefined);
  });
}

async function pollBuild(ctx: Context, id: string, show: (l: LogLine) => void): Promise<Build> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const state = await ctx.api.get<Build>(`/v1/builds/${encodeURIComponent(id)}`);
    for (const line of state.log) show(line);
    if (state.status === 'succeeded' || state.status === 'failed') return state;
    if (Date.now() > deadline) {
      throw new CliError(`Build ${id} is still ${state.status} after 10 minutes.`, {
        hint: `Check it later with GET /v1/builds/${id}.`,
        code: 'build_timeout',
      });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
