// `moat logout`: revokes the refresh tokens the CLI holds (RFC 7009; revoking a refresh token
// ends its whole grant) and removes this platform's entry from the credentials file.
import type { Context } from '../context.ts';
import { noExtraArgs } from '../context.ts';
import type { StoredTokens } from '../credentials.ts';
import { authorizationServer } from '../oauth/authorization-server.ts';

export async function logout(ctx: Context): Promise<void> {
  noExtraArgs(ctx, 0, 'moat logout');
  const entry = ctx.store.get(ctx.apiUrl);
  if (!entry.auth && !entry.servers) {
    ctx.out.result({ loggedOut: true, revoked: 0 }, () => `Not logged in to ${ctx.apiUrl}.`);
    return;
  }
  const tokens: StoredTokens[] = [
    ...(entry.auth?.kind === 'oauth' ? [entry.auth.tokens] : []),
    ...Object.values(entry.servers ?? {}),
  ];
  let revoked = 0;
  const failures: string[] = [];
  if (tokens.length > 0 && entry.client) {
    try {
      const metadata = await authorizationServer(entry.client.issuer.replace(/\/+$/, ''));
      for (const t of tokens) {
        if (!t.refresh_token || !metadata.revocation_endpoint) continue;
        const res = await fetch(metadata.revocation_endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            token: t.refresh_token,
            token_type_hint: 'refresh_token',
            client_id: entry.client.info.client_id,
          }),
        });
        await res.body?.cancel();
        if (res.ok) revoked++;
        else failures.push(String(res.status));
      }
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  await ctx.store.update(ctx.apiUrl, () => undefined);
  const keyNote =
    entry.auth?.kind === 'api_key'
      ? '\nThe API key itself still works until you revoke it in the dashboard (Settings → API keys).'
      : '';
  const failNote =
    failures.length > 0
      ? `\nThe platform could not be told to revoke ${failures.length} token(s); they expire on their own.`
      : '';
  ctx.out.result(
    { loggedOut: true, revoked, revokeFailures: failures.length },
    () => `Logged out of ${ctx.apiUrl}; credentials deleted.${keyNote}${failNote}`,
  );
}
