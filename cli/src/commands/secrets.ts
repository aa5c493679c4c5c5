// `moat secrets set <server> <NAME>` (value from stdin or a no-echo prompt, never from argv, never
// printed) and `moat secrets list <server>` (names and whether each is set; values never leave).
import type { SecretList, SecretSet } from '../../../lib/api/secrets.ts';
import { usageError } from '../cli-error.ts';
import { arg, noExtraArgs, type Context } from '../context.ts';
import { table, when } from '../output.ts';
import { readSecret } from '../prompt.ts';
import { resolveServerId } from '../server-ref.ts';

const USAGE = 'moat secrets set <server> <NAME> | list <server>';

export async function secrets(ctx: Context, sub: string | undefined): Promise<void> {
  if (sub === 'set') return set(ctx);
  if (sub === 'list' || sub === 'ls') return list(ctx);
  throw usageError(
    sub ? `Unknown command "secrets ${sub}".` : 'Missing a secrets command.',
    `Usage: ${USAGE}`,
  );
}

async function set(ctx: Context): Promise<void> {
  const usage =
    'moat secrets set <server> <NAME>   (the value is read from stdin or a hidden prompt)';
  const ref = arg(ctx, 0, 'server', usage);
  const name = arg(ctx, 1, 'NAME', usage);
  noExtraArgs(ctx, 2, usage);
  const id = await resolveServerId(ctx.api, ref);
  const value = await readSecret(`Value for ${name} (input hidden): `);
  const path = `/v1/servers/${encodeURIComponent(id)}/secrets/${encodeURIComponent(name)}`;
  const res = await ctx.api.request<SecretSet>('PUT', path, {
    body: { value },
  });
  ctx.out.result(res, () => `Secret ${res.name} is set on ${ref}.`);
}

async function list(ctx: Context): Promise<void> {
  const ref = arg(ctx, 0, 'server', 'moat secrets list <server>');
  noExtraArgs(ctx, 1, 'moat secrets list <server>');
  const id = await resolveServerId(ctx.api, ref);
  const { secrets } = await ctx.api.get<SecretList>(
    `/v1/servers/${encodeURIComponent(id)}/secrets`,
  );
  ctx.out.result(secrets, () =>
    secrets.length === 0
      ? `${ref} declares no secrets.`
      : table(secrets, [
          { header: 'name', value: (s) => s.name },
          { header: 'status', value: (s) => (s.set ? 'set' : 'NOT SET') },
          { header: 'updated', value: (s) => when(s.updatedAt) },
          { header: 'description', value: (s) => s.description ?? '' },
        ]),
  );
}
