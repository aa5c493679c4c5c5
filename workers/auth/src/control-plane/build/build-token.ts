// A build-scoped access token for the smoke test, signed by this AS's own signer like any token it
// issues (RFC 9068 profile): `aud` is the server's MCP URL, `client_id` the build pipeline, `sub`
// the user who started the build. It is sent once, to the runner over the service binding, and
// never leaves the platform or reaches a log.
import { signAccessToken } from '../../authorization-server/access-token';
import { oauthConfig } from '../../authorization-server/config';

export const BUILD_CLIENT_ID = 'moat-build';

export type BuildToken = { ok: true; token: string } | { ok: false; reason: string };

export async function mintBuildToken(
  env: Env,
  claims: { sub: string; aud: string; server_id: string; scope: string; jti: string },
): Promise<BuildToken> {
  try {
    const issued = await signAccessToken(env, oauthConfig(env), {
      ...claims,
      client_id: BUILD_CLIENT_ID,
    });
    return { ok: true, token: issued.token };
  } catch {
    return {
      ok: false,
      reason: 'the Authorization Server could not sign a token (signing key unavailable).',
    };
  }
}
