// Revocation at the edge (docs/runner.md "Revocation"). The runner verifies tokens offline, so the
// AS's revocations reach it as rules in D1 `token_revocations` (lib/tokens/revocation.ts). Each
// isolate keeps the live rules in memory and re-reads only the rows added since its last read:
// - copy younger than the poll interval: no storage read at all;
// - older than the poll interval: answered from the copy, refreshed in the background;
// - older than the hard bound (a quiet spell, a new isolate): refreshed before answering, so a
//   rule committed more than the hard bound ago is always seen: the 60 s promise (DESIGN §9).
// If that read fails, the token's status is unknown and the caller must not serve it (fail closed).
import { waitUntil } from 'cloudflare:workers';
import { revokes, type PresentedToken } from '../../../lib/tokens/revocation';
import { rulesAfter, type StoredRule } from './store/token-revocations';

export const DEFAULT_POLL_SECONDS = 10;
export const DEFAULT_MAX_STALE_SECONDS = 45;
/** 60 s minus the time a refresh and a request can take: the bound is never configured past it. */
const MAX_STALE_CEILING_SECONDS = 55;

export type RevocationVerdict = 'live' | 'revoked' | 'unknown';

export type RevocationTiming = {
  pollMs: number;
  maxStaleMs: number;
  /**
   * How often an open stream re-checks its token. A stream learns of a rule at most this long
   * after its isolate could have, so maxStale + this stays under 60 s with room for the read.
   */
  streamCheckMs: number;
};

type RevocationEnv = Pick<Env, 'REVOCATION_POLL_SECONDS' | 'REVOCATION_MAX_STALE_SECONDS'>;

const seconds = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : fallback;
};

export function revocationTiming(env: Partial<RevocationEnv>): RevocationTiming {
  const maxStale = Math.min(
    seconds(env.REVOCATION_MAX_STALE_SECONDS, DEFAULT_MAX_STALE_SECONDS),
    MAX_STALE_CEILING_SECONDS,
  );
  const poll = Math.min(seconds(env.REVOCATION_POLL_SECONDS, DEFAULT_POLL_SECONDS), maxStale);
  const streamCheck = Math.min(poll, (60 - maxStale) / 2);
  return { pollMs: poll * 1000, maxStaleMs: maxStale * 1000, streamCheckMs: streamCheck * 1000 };
}

/** One isolate's copy of the live rules. */
export class RevocationList {
  #rules: StoredRule[] = [];
  #lastId = 0;
  /** When the last successful read started: every rule committed before then is in the copy. */
  #readAt: number | undefined;
  #inflight: Promise<void> | undefined;

  get size(): number {
    return this.#rules.length;
  }

  async verdict(
    db: D1Database,
    timing: RevocationTiming,
    token: PresentedToken,
    now = Date.now(),
  ): Promise<RevocationVerdict> {
    const age = this.#readAt === undefined ? Infinity : now - this.#readAt;
    // A negative age (a clock that stepped back) is treated as stale too.
    if (age > timing.maxStaleMs || age < 0) {
      try {
        await this.refresh(db, now);
      } catch (err) {
        console.error('revocation list unavailable', { name: (err as Error).name });
        return 'unknown';
      }
    } else if (age > timing.pollMs && !this.#inflight) {
      // Only the request that starts a read waits on it (waitUntil), so no other request's
      // context is left holding a continuation of it.
      waitUntil(
        this.refresh(db, now).catch((err: unknown) =>
          console.error('revocation refresh failed', { name: (err as Error).name }),
        ),
      );
    }
    return this.#rules.some((r) => revokes(r, token)) ? 'revoked' : 'live';
  }

  /** Reads the rules added since the last read and drops the expired ones; one read at a time. */
  refresh(db: D1Database, now = Date.now()): Promise<void> {
    this.#inflight ??= this.#read(db, now).finally(() => (this.#inflight = undefined));
    return this.#inflight;
  }

  async #read(db: D1Database, startedAt: number): Promise<void> {
    const added = await rulesAfter(db, this.#lastId);
    // A rule past its expiresAt can no longer match a live token (the AS sets it to the access
    // token TTL plus leeway), so it is dropped here and its row is pruned by the AS.
    this.#rules = [...this.#rules, ...added].filter((r) => r.expiresAt > startedAt);
    this.#lastId = added.at(-1)?.id ?? this.#lastId;
    this.#readAt = startedAt;
  }
}

/** The isolate's list, shared by every request this isolate serves. */
export const isolateRevocations = new RevocationList();
