// `moat whoami`: the signed-in user, organization and how the CLI authenticates.
import type { Context } from '../context.ts';
import { noExtraArgs } from '../context.ts';
import type { Me } from './login.ts';

export async function whoami(ctx: Context): Promise<void> {
  noExtraArgs(ctx, 0, 'moat whoami');
  const me = await ctx.api.get<Me>('/v1/me');
  const via = ctx.store.get(ctx.apiUrl).auth?.kind === 'oauth' ? 'OAuth (moat login)' : 'API key';
  ctx.out.result(
    {
      apiUrl: ctx.apiUrl,
      user: me.user,
      orgId: me.orgId,
      role: me.role,
      authenticatedBy: me.authenticatedBy,
    },
    () =>
      [
        `${me.user.email}${me.user.name ? ` (${me.user.name})` : ''}`,
        `  user          ${me.user.id}`,
        `  organization  ${me.orgId} (${me.role})`,
        `  platform      ${ctx.apiUrl}`,
        `  signed in by  ${via}`,
      ].join('\n'),
  );
}
