// `moat login` (browser, OAuth 2.1 + PKCE) and `moat login --api-key` (machines; the key comes
// from stdin or a no-echo prompt and is checked with GET /v1/me before it is stored).
import { CliError, EXIT } from '../cli-error.ts';
import type { Context } from '../context.ts';
import { noExtraArgs } from '../context.ts';
import { readSecret } from '../prompt.ts';

import type { Me } from '../../../lib/api/me.ts';

export type { Me };

const API_KEY_SHAPE = /^moat_sk_[a-z2-7]{52}$/;

export async function login(ctx: Context): Promise<void> {
  noExtraArgs(ctx, 0, 'moat login [--api-key] [--no-browser]');
  const me = ctx.opts['api-key'] ? await withApiKey(ctx) : await withBrowser(ctx);
  ctx.out.result(
    {
      loggedIn: true,
      apiUrl: ctx.apiUrl,
      user: me.user,
      orgId: me.orgId,
      role: me.role,
      authenticatedBy: me.authenticatedBy,
    },
    () => `Logged in to ${ctx.apiUrl} as ${me.user.email}.`,
  );
}

async function withApiKey(ctx: Context): Promise<Me> {
  const apiKey = (await readSecret('API key (input hidden): ')).trim();
  if (!API_KEY_SHAPE.test(apiKey)) {
    throw new CliError('That is not a Moat API key (they look like moat_sk_…).', {
      exitCode: EXIT.usage,
      hint: 'Create one in the dashboard under Settings → API keys; it is shown once.',
      code: 'usage',
    });
  }
  const me = await ctx.api.get<Me>('/v1/me', { apiKey });
  await ctx.store.update(ctx.apiUrl, (e) => ({
    ...e,
    auth: { kind: 'api_key', apiKey },
    user: { id: me.user.id, email: me.user.email },
  }));
  return me;
}

async function withBrowser(ctx: Context): Promise<Me> {
  const { loginWithBrowser } = await import('../oauth/login-flow.ts');
  const result = await loginWithBrowser(ctx.store, ctx.apiUrl, ctx.out, {
    noBrowser: ctx.opts['no-browser'] ?? false,
  });
  const me = await ctx.api.get<Me>('/v1/me', { apiKey: result.tokens.access_token });
  await ctx.store.update(ctx.apiUrl, (e) => ({
    ...e,
    auth: { kind: 'oauth', ...result },
    user: { id: me.user.id, email: me.user.email },
  }));
  return me;
}
