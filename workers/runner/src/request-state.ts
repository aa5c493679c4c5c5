// MCP 2026-07-28 multi-round-trip `requestState` (basic/patterns/mrtr, server requirements 4–5):
// the client echoes it back, so it is attacker-controlled input. The runner hands it out sealed:
// AES-256-GCM under a key HKDF-derived from MASTER_KEY for this purpose alone
// (lib/crypto/master-key.ts), the server id and the principal (sub, client_id) as associated data,
// and an expiry inside. Tampering, another server, another principal or a stale state all fail to
// open; the SDK answers those with -32602 "Invalid or expired requestState" (mcp-server.ts).
// Sealed rather than signed, so the client cannot read what a tool keeps between rounds.
import { deriveKey, open, seal, type Sealed } from '../../../lib/crypto/master-key';

export const REQUEST_STATE_TTL_MS = 10 * 60 * 1000;
const MAX_STATE_CHARS = 16 * 1024;
const PREFIX = 'ms1.';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** `toolset`: the state was handed out at `/{slug}/{toolset}/mcp` and is good only there. */
export type RequestStateBinding = {
  serverId: string;
  sub: string;
  clientId: string;
  toolset?: string | undefined;
};

export type RequestStateFailure = 'malformed' | 'unsealed' | 'expired';

/** Why a requestState was refused; the reason goes to the log, never to the wire. */
export class RequestStateError extends Error {
  readonly reason: RequestStateFailure;

  constructor(reason: RequestStateFailure) {
    super(`requestState ${reason}`);
    this.name = 'RequestStateError';
    this.reason = reason;
  }
}

const keys = new Map<string, Promise<CryptoKey>>();

function stateKey(masterKey: string): Promise<CryptoKey> {
  let key = keys.get(masterKey);
  if (!key) {
    key = deriveKey(masterKey, 'mcp-request-state');
    keys.set(masterKey, key);
  }
  return key;
}

const aadOf = (b: RequestStateBinding) =>
  `requestState\n${b.serverId}\n${b.sub}\n${b.clientId}` +
  (b.toolset === undefined ? '' : `\ntoolset\n${b.toolset}`);

export async function sealRequestState(
  masterKey: string,
  binding: RequestStateBinding,
  payload: unknown,
  now = Date.now(),
): Promise<string> {
  const sealed = await seal(
    await stateKey(masterKey),
    JSON.stringify({ p: payload, exp: now + REQUEST_STATE_TTL_MS }),
    aadOf(binding),
  );
  return `${PREFIX}${sealed.iv}.${sealed.ct}`;
}

/** The payload sealed into `state` for `binding`; throws RequestStateError otherwise. */
export async function openRequestState(
  masterKey: string,
  binding: RequestStateBinding,
  state: string,
  now = Date.now(),
): Promise<unknown> {
  if (state.length > MAX_STATE_CHARS || !state.startsWith(PREFIX)) {
    throw new RequestStateError('malformed');
  }
  const [iv, ct, extra] = state.slice(PREFIX.length).split('.');
  if (!iv || !ct || extra !== undefined) throw new RequestStateError('malformed');
  // seal() writes a 12-byte IV (16 base64url characters) and a ciphertext with its 16-byte tag.
  if (iv.length !== 16 || !BASE64URL.test(iv) || ct.length < 24 || !BASE64URL.test(ct)) {
    throw new RequestStateError('malformed');
  }
  let plaintext: string;
  try {
    const sealed: Sealed = { v: 1, iv, ct };
    plaintext = await open(await stateKey(masterKey), sealed, aadOf(binding));
  } catch {
    throw new RequestStateError('unsealed');
  }
  const { p, exp } = JSON.parse(plaintext) as { p: unknown; exp: number };
  if (!(exp > now)) throw new RequestStateError('expired');
  return p;
}
