// Which browser origins may call a hosted server (DESIGN §9 "Browser clients").
//
// MCP 2025-11-25 transports §Security: servers MUST validate `Origin` and answer an invalid one
// with 403, against DNS rebinding (a page on an attacker's name that resolves to a private
// address). "Valid" is the server's own ServerSpec `allowedOrigins` plus the dashboard (ISSUER:
// the playground runs there) and the runner's own origin. Requests without `Origin` come from
// native clients, which a rebinding page cannot drive, and are unaffected.
import type { HostedServer } from './server-cache';

type PolicyEnv = Pick<Env, 'ISSUER' | 'RUNNER_ORIGIN'>;

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/** The origins every hosted server accepts: the dashboard's and the runner's own. */
export function platformOrigins(env: PolicyEnv): string[] {
  return [originOf(env.ISSUER), originOf(env.RUNNER_ORIGIN)].filter((o) => o !== undefined);
}

/**
 * true for no `Origin` at all, or an exact match (RFC 6454 §5: origins compare as strings once
 * serialized; ServerSpec validation keeps entries serialized). `Origin: null` never matches.
 */
export function originAllowed(
  origin: string | null,
  server: Pick<HostedServer, 'spec'>,
  env: PolicyEnv,
): boolean {
  if (origin === null) return true;
  return (
    platformOrigins(env).includes(origin) || (server.spec.allowedOrigins ?? []).includes(origin)
  );
}
