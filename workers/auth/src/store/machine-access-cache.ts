// An isolate's short-lived copy of client_credentials' access decision (store/machine-clients.ts
// `machineAccess`: the owner's role, the API key, the machine grant, the server's visibility), so
// a busy machine client costs no D1 read per token (docs/oauth.md "Machine clients"). Only a
// decision that allows is kept, for at most MACHINE_ACCESS_CACHE_MS, with the time it was read:
// the token minted from it carries that time as `iat` (grants/client-credentials.ts), so a
// revocation made meanwhile in another isolate — whose rule stops every token issued before it
// (lib/tokens/revocation.ts) — stops that token at the runner too, within the 60 s the rules
// take to arrive. Preparing any revocation rule in this isolate drops the whole copy at once
// (store/token-revocations.ts).
import type { MachineAccess } from './machine-clients';

export const MACHINE_ACCESS_CACHE_MS = 5_000;
const MAX_ENTRIES = 1_000;

export type RememberedAccess = { access: MachineAccess; readAt: number };

const entries = new Map<string, RememberedAccess>();
const keyOf = (clientId: string, serverId: string) => `${clientId}\n${serverId}`;

/** Drops every decision (something in this isolate is about to end someone's access). */
export function forgetMachineAccess(): void {
  entries.clear();
}

/** The decision read at most MACHINE_ACCESS_CACHE_MS ago for this client and server, if any. */
export function rememberedAccess(
  clientId: string,
  serverId: string,
  now = Date.now(),
): RememberedAccess | undefined {
  const key = keyOf(clientId, serverId);
  const hit = entries.get(key);
  if (hit && now - hit.readAt < MACHINE_ACCESS_CACHE_MS) return hit;
  if (hit) entries.delete(key);
  return undefined;
}

/** Keeps an allowing decision read at `readAt` (taken before the read began). */
export function rememberAccess(
  clientId: string,
  serverId: string,
  remembered: RememberedAccess,
): void {
  // Map keeps insertion order: the first key is the oldest entry.
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(keyOf(clientId, serverId), remembered);
}
