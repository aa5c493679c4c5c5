// OAuth settings from the Worker's variables (wrangler.toml [vars]), with the documented defaults
// (docs/oauth.md "Lifetimes"). Bad values fall back to the default rather than disabling a limit.
export type OAuthConfig = {
  issuer: string;
  runnerOrigin: string;
  accessTokenTtlSeconds: number;
  codeTtlSeconds: number;
  refreshIdleTtlSeconds: number;
  refreshAbsoluteTtlSeconds: number;
  refreshReuseGraceSeconds: number;
  signingKeyActivationDelaySeconds: number;
  unusedClientTtlSeconds: number;
  registrationsPerIpPerHour: number;
  allowPrivateEgress: boolean;
};

type OAuthVars = {
  ISSUER: string;
  RUNNER_ORIGIN: string;
  ACCESS_TOKEN_TTL_SECONDS?: string;
  REFRESH_TOKEN_IDLE_TTL_SECONDS?: string;
  REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS?: string;
  REFRESH_TOKEN_REUSE_GRACE_SECONDS?: string;
  SIGNING_KEY_ACTIVATION_DELAY_SECONDS?: string;
  DCR_UNUSED_CLIENT_TTL_SECONDS?: string;
  DCR_REGISTRATIONS_PER_IP_PER_HOUR?: string;
  ALLOW_PRIVATE_EGRESS?: string;
};

function seconds(value: string | undefined, fallback: number, min = 0): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= min ? n : fallback;
}

const cache = new WeakMap<object, OAuthConfig>();

export function oauthConfig(env: OAuthVars): OAuthConfig {
  const hit = cache.get(env);
  if (hit) return hit;
  const config: OAuthConfig = {
    issuer: env.ISSUER.replace(/\/+$/, ''),
    runnerOrigin: env.RUNNER_ORIGIN.replace(/\/+$/, ''),
    accessTokenTtlSeconds: seconds(env.ACCESS_TOKEN_TTL_SECONDS, 3600, 60),
    codeTtlSeconds: 600,
    refreshIdleTtlSeconds: seconds(env.REFRESH_TOKEN_IDLE_TTL_SECONDS, 30 * 86400, 60),
    refreshAbsoluteTtlSeconds: seconds(env.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS, 90 * 86400, 60),
    refreshReuseGraceSeconds: seconds(env.REFRESH_TOKEN_REUSE_GRACE_SECONDS, 10),
    signingKeyActivationDelaySeconds: seconds(env.SIGNING_KEY_ACTIVATION_DELAY_SECONDS, 300),
    unusedClientTtlSeconds: seconds(env.DCR_UNUSED_CLIENT_TTL_SECONDS, 86400, 60),
    registrationsPerIpPerHour: seconds(env.DCR_REGISTRATIONS_PER_IP_PER_HOUR, 30, 1),
    allowPrivateEgress: env.ALLOW_PRIVATE_EGRESS === '1' || env.ALLOW_PRIVATE_EGRESS === 'true',
  };
  cache.set(env, config);
  return config;
}

/**
 * How long a revocation rule must outlive its event (store/token-revocations.ts): the longest an
 * access token issued just before it can live, plus the runner's 60 s clock leeway.
 */
export const revocationTtlMs = (config: Pick<OAuthConfig, 'accessTokenTtlSeconds'>): number =>
  config.accessTokenTtlSeconds * 1000 + 60_000;
