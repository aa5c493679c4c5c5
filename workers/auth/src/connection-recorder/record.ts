// Writing one connection-recorder step from the auth Worker (docs/observability.md "Connection
// recorder"): after the response (waitUntil), best effort — a failed write is logged by name and
// never changes the answer. The attempt key ties the steps of one authorization together: the
// PKCE challenge is fresh for every authorization request (RFC 7636 §4.1) and travels through
// /authorize, the consent form, /login's return_to and — as S256(code_verifier) — /token.
import type { Context } from 'hono';
import { sha256Hex } from '../../../../lib/crypto/hash';
import type { ConnectionEventInput } from '../../../../lib/db/connection-events';
import { requesterKey } from '../../../../lib/observability/requester';
import { withinBudget } from '../../../../lib/observability/write-gate';
import type { AppEnv } from '../app-env';
import { insertConnectionEvent } from '../store/connection-events';

export type StepInput = Omit<ConnectionEventInput, 'requester'>;

export async function attemptKeyOf(
  clientId: string | undefined,
  codeChallenge: string | undefined,
): Promise<string | null> {
  if (!clientId || !codeChallenge) return null;
  return (await sha256Hex(`${clientId}\n${codeChallenge}`)).slice(0, 24);
}

export function recordStep(c: Context<AppEnv>, build: () => Promise<StepInput | undefined>): void {
  const work = (async () => {
    const step = await build();
    if (!step || !withinBudget()) return;
    await insertConnectionEvent(c.env.DB, {
      ...step,
      requester: await requesterKey(c.req.raw.headers),
    });
  })().catch((err: unknown) => {
    console.error('connection recorder write failed', { name: (err as Error).name });
  });
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    void work;
  }
}
