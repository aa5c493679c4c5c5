// The isolate's compiled redactors, by the secret values they redact. Building one compiles a
// regex over every encoded form of every secret (secret-redaction.ts): the runner profile
// (scripts/bench/runner-profile.mjs) showed it at ~4% of a tools/call, built twice per call for
// values that change only when a secret is written or a connection token refreshed.
import { secretRedactor, type Redact } from './secret-redaction';

/** Bounded: the oldest entry goes first, so a stream of rotating tokens cannot grow it. */
export const MAX_REDACTORS = 256;

const redactors = new Map<string, Redact>();

/** The redactor for exactly these values (order-insensitive), compiled once per isolate. */
export function cachedRedactor(secrets: ReadonlyMap<string, string>): Redact {
  const key = JSON.stringify([...new Set(secrets.values())].sort());
  let redact = redactors.get(key);
  if (!redact) {
    redact = secretRedactor(secrets);
    if (redactors.size >= MAX_REDACTORS) redactors.delete(redactors.keys().next().value!);
    redactors.set(key, redact);
  }
  return redact;
}
