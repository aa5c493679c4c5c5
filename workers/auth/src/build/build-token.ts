// A short-lived access token for the build's smoke test, signed like any token this AS issues.
export type BuildToken = { ok: true; token: string } | { ok: false; reason: string };

export async function mintBuildToken(
  _env: Env,
  _claims: { sub: string; aud: string; scope: string; jti: string },
): Promise<BuildToken> {
  return {
    ok: false,
    reason:
      'the Authorization Server cannot sign tokens in this build yet (no token issuer), so the live URL was not called.',
  };
}
