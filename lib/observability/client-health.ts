// The health verdict of one OAuth client of one server (docs/observability.md "Connection
// health"), from what the AS recorded at the token endpoint and the runner at the edge. Pure, so
// the rules are tested in Node and read the same everywhere. First match wins:
// revoked → failing → never_refreshes → stale → healthy.
import type { ClientHealthVerdict } from '../api/server-clients';

/** No token and no accepted request for this long: stale. */
export const STALE_AFTER_DAYS = 30;
/** This many 401s since the last accepted request (and none accepted after them): failing. */
export const FAILING_AFTER_401S = 3;

export type ClientHealthFacts = {
  kind: 'dcr' | 'cimd' | 'machine';
  lastTokenAt: number | null;
  lastUsedAt: number | null;
  refreshCount: number;
  last401At: number | null;
  last401Reason: string | null;
  recent401Count: number;
  liveGrants: number;
  revokedGrants: number;
  /** The most authorizations (grants) one user gave this client for this server. */
  maxGrantsPerUser: number;
};

export type ClientHealthVerdictWithReason = { health: ClientHealthVerdict; healthReason: string };

const DAY_MS = 86_400_000;

export function clientHealthVerdict(
  f: ClientHealthFacts,
  now = Date.now(),
): ClientHealthVerdictWithReason {
  if (f.liveGrants === 0 && f.revokedGrants > 0) {
    return {
      health: 'revoked',
      healthReason: 'Every grant of this client was revoked: it needs to be authorized again.',
    };
  }
  if (
    f.recent401Count >= FAILING_AFTER_401S &&
    f.last401At !== null &&
    (f.lastUsedAt === null || f.last401At > f.lastUsedAt)
  ) {
    const why = f.last401Reason ? ` (last: ${f.last401Reason.replace(/_/g, ' ')} token)` : '';
    return {
      health: 'failing',
      healthReason: `${f.recent401Count} requests refused with 401 since its last accepted request${why}.`,
    };
  }
  // RFC 6749 §1.5: a client that refreshes keeps one grant; one that re-runs the authorization
  // for the same user instead (a new grant each time) shows its users "connection expired".
  if (f.kind !== 'machine' && f.refreshCount === 0 && f.maxGrantsPerUser >= 2) {
    return {
      health: 'never_refreshes',
      healthReason: `A user authorized it ${f.maxGrantsPerUser} times and it never used a refresh token: it re-authorizes when its access token expires.`,
    };
  }
  const lastSeen = Math.max(f.lastTokenAt ?? 0, f.lastUsedAt ?? 0);
  if (lastSeen > 0 && now - lastSeen > STALE_AFTER_DAYS * DAY_MS) {
    const days = Math.floor((now - lastSeen) / DAY_MS);
    return { health: 'stale', healthReason: `No token and no use for ${days} days.` };
  }
  if (f.refreshCount > 0) {
    return {
      health: 'healthy',
      healthReason: `Refreshes its tokens (${f.refreshCount} refresh${f.refreshCount === 1 ? '' : 'es'} so far).`,
    };
  }
  return {
    health: 'healthy',
    healthReason:
      f.kind === 'machine'
        ? 'Gets tokens with client_credentials as expected.'
        : 'Authorized; no problem seen yet.',
  };
}
