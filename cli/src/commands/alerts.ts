// `moat alerts <server>` (the webhook and when it fires), `moat alerts set <server> <url>` (a new
// signing secret every time, printed once) and `moat alerts remove <server> [--yes]`
// (GET/PUT/DELETE /v1/servers/:id/alerts; docs/observability.md "Alerts").
import type { AlertSet, AlertStatus } from '../../../lib/api/alerts.ts';
import { webhookUrlShapeProblem } from '../../../lib/api/webhook-url.ts';
import { ALERT_CADENCE, ALERT_RULES } from '../../../lib/observability/alert-rules.ts';
import { CliError, EXIT, usageError } from '../cli-error.ts';
import { arg, noExtraArgs, type Context } from '../context.ts';
import { when } from '../output.ts';
import { confirm, readStdin } from '../prompt.ts';
import { resolveServerId } from '../server-ref.ts';

const USAGE = 'moat alerts <server> | set <server> <url|-> | remove <server> [--yes]';

export async function alerts(ctx: Context, sub: string | undefined): Promise<void> {
  if (sub === 'set') return set(ctx);
  if (sub === 'remove' || sub === 'rm') return remove(ctx);
  if (sub === 'show' || sub === 'get') return show(ctx);
  if (sub === undefined) throw usageError('Missing <server>.', `Usage: ${USAGE}`);
  // `moat alerts weather`: the second word is the server (`moat alerts show set` for a server
  // whose slug is a subcommand's name).
  return show({ ...ctx, args: [sub, ...ctx.args] });
}

const alertsPath = (id: string) => `/v1/servers/${encodeURIComponent(id)}/alerts`;

function rules(): string {
  return [...ALERT_RULES.map((r) => `  - ${r.title} (${r.type}): ${r.when}.`), ALERT_CADENCE].join(
    '\n',
  );
}

async function show(ctx: Context): Promise<void> {
  const usage = 'moat alerts <server>';
  const ref = arg(ctx, 0, 'server', usage);
  noExtraArgs(ctx, 1, usage);
  const id = await resolveServerId(ctx.api, ref);
  const status = await ctx.api.get<AlertStatus>(alertsPath(id));
  const a = status.alert;
  ctx.out.result(status, () =>
    a
      ? [
          `Alerts for ${ref} go to ${a.url}`,
          `  set ${when(a.createdAt)}${a.updatedAt !== a.createdAt ? `, changed ${when(a.updatedAt)}` : ''}`,
          'Moat POSTs an alert there when:',
          rules(),
        ].join('\n')
      : [
          `${ref} has no alert webhook.`,
          'With one, Moat POSTs an alert when:',
          rules(),
          `Set one with: moat alerts set ${ref} https://hooks.example.com/moat`,
        ].join('\n'),
  );
}

async function set(ctx: Context): Promise<void> {
  const usage = 'moat alerts set <server> <url>   (`-` reads the URL from stdin)';
  const ref = arg(ctx, 0, 'server', usage);
  const given = arg(ctx, 1, 'url', usage);
  noExtraArgs(ctx, 2, usage);
  // A webhook URL may carry a token in its path or query: `-` keeps it out of argv (and `ps`).
  const url = (given === '-' ? await readStdin() : given).trim();
  const problem = url ? webhookUrlShapeProblem(url) : 'is empty';
  if (problem) {
    throw usageError(
      `The webhook URL ${problem}.`,
      'Give the https URL your receiver listens on, e.g. https://hooks.example.com/moat (no user:password@, no #fragment).',
    );
  }
  const id = await resolveServerId(ctx.api, ref);
  let res: AlertSet;
  try {
    res = await ctx.api.request<AlertSet>('PUT', alertsPath(id), { body: { url } });
  } catch (err) {
    if (err instanceof CliError && err.code === 'validation_failed') {
      throw new CliError(err.message, {
        exitCode: err.exitCode,
        code: err.code,
        hint: 'The platform calls only https URLs on the public internet: use one your receiver answers on.',
      });
    }
    throw err;
  }
  const replaced = res.alert.updatedAt !== res.alert.createdAt;
  ctx.out.result(res, () =>
    [
      `Alerts for ${ref} now go to ${res.alert.url}`,
      `Signing secret (shown once; verify X-Moat-Signature with it${replaced ? ' — the previous secret no longer applies' : ''}):`,
      res.secret,
    ].join('\n'),
  );
}

async function remove(ctx: Context): Promise<void> {
  const usage = 'moat alerts remove <server> [--yes]';
  const ref = arg(ctx, 0, 'server', usage);
  noExtraArgs(ctx, 1, usage);
  const id = await resolveServerId(ctx.api, ref);
  const { alert } = await ctx.api.get<AlertStatus>(alertsPath(id));
  if (!alert) {
    throw new CliError(`${ref} has no alert webhook; there is nothing to remove.`, {
      exitCode: EXIT.notFound,
      hint: `\`moat alerts set ${ref} <url>\` sets one.`,
      code: 'not_found',
    });
  }
  if (
    !ctx.opts.yes &&
    !(await confirm(
      `Remove the alert webhook of ${ref} (${alert.url})? Moat stops sending alerts.`,
    ))
  ) {
    throw new CliError(`Not removed: the alert webhook of ${ref}.`, {
      exitCode: EXIT.usage,
      hint: process.stdin.isTTY ? undefined : 'Pass --yes to remove it without a prompt.',
      code: 'not_confirmed',
    });
  }
  await ctx.api.request('DELETE', alertsPath(id));
  ctx.out.result({ removed: true, serverId: id }, () => `Removed the alert webhook of ${ref}.`);
}
