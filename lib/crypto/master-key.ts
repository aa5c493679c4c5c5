// Encryption under MASTER_KEY (32 random bytes, base64). Each purpose gets its own AES-256-GCM
// key derived with HKDF-SHA-256 (RFC 5869), so a key for one purpose never decrypts another's data.
import { base64UrlDecode, base64UrlEncode } from './hash';

export type Sealed = { v: 1; iv: string; ct: string };

export class MasterKeyError extends Error {
  readonly code = 'master_key_unusable';
}

function decodeMasterKey(masterKey: string | undefined): Uint8Array {
  if (!masterKey) throw new MasterKeyError('MASTER_KEY is not set');
  let bytes: Uint8Array;
  try {
    bytes = base64UrlDecode(
      masterKey.trim().replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''),
    );
  } catch {
    throw new MasterKeyError('MASTER_KEY is not base64');
  }
  if (bytes.length < 32) throw new MasterKeyError('MASTER_KEY must be at least 32 bytes');
  return bytes;
}

export async function deriveKey(
  masterKey: string | undefined,
  purpose: string,
): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey(
    'raw',
    decodeMasterKey(masterKey) as Uint8Array<ArrayBuffer>,
    'HKDF',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(32),
      info: new TextEncoder().encode(`moat:${purpose}`),
    },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** AES-GCM with a random 96-bit IV; `aad` binds the ciphertext to its context (e.g. a kid). */
export async function seal(key: CryptoKey, plaintext: string, aad: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(aad) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return { v: 1, iv: base64UrlEncode(iv), ct: base64UrlEncode(ct) };
}

/** Throws (OperationError) when the key, the AAD or the ciphertext is wrong. */
export async function open(key: CryptoKey, sealed: Sealed, aad: string): Promise<string> {
  const pt = await crypto.subtle.decrypt(
    {
      name: 'AES-GCM',
      iv: base64UrlDecode(sealed.iv) as Uint8Array<ArrayBuffer>,
      additionalData: new TextEncoder().encode(aad),
    },
    key,
    base64UrlDecode(sealed.ct) as Uint8Array<ArrayBuffer>,
  );
  return new TextDecoder().decode(pt);
}
