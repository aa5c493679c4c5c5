// Envelope encryption for server secrets (DESIGN §7): each value is sealed with its own random
// AES-256-GCM data key; the data key is wrapped (AES-GCM) by MASTER_KEY. The row stores the
// ciphertext, its IV, the wrapped key and the master key version, so the master key can be rotated
// by re-wrapping data keys without touching ciphertexts. The additional authenticated data binds a
// ciphertext to its row (server id + name): a row copied to another server fails to open.
import { base64UrlDecode, base64UrlEncode } from './hash';

export const MASTER_KEY_VERSION = 1;

export type Envelope = {
  ciphertext: string; // base64url
  iv: string; // base64url, 12 bytes
  wrappedKey: string; // base64url: 12-byte IV || AES-GCM(data key)
  keyVersion: number;
};

export class MasterKeyError extends Error {
  readonly code = 'master_key_invalid';
}

const encoder = new TextEncoder();
const bytes = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);
const masterKeys = new Map<string, Promise<CryptoKey>>();

function decodeStandardBase64(value: string): Uint8Array<ArrayBuffer> {
  return bytes(
    base64UrlDecode(value.trim().replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')),
  );
}

/** MASTER_KEY is 32 random bytes, base64 (standard or url-safe). */
export function importMasterKey(masterKey: string): Promise<CryptoKey> {
  let key = masterKeys.get(masterKey);
  if (!key) {
    let raw: Uint8Array<ArrayBuffer>;
    try {
      raw = decodeStandardBase64(masterKey);
    } catch {
      throw new MasterKeyError('MASTER_KEY is not base64');
    }
    if (raw.length !== 32) throw new MasterKeyError('MASTER_KEY must be 32 bytes (base64)');
    key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    masterKeys.set(masterKey, key);
  }
  return key;
}

function iv(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(12));
}

export async function sealSecret(
  masterKey: string,
  plaintext: string,
  aad: string,
): Promise<Envelope> {
  const kek = await importMasterKey(masterKey);
  const dataKeyRaw = crypto.getRandomValues(new Uint8Array(32));
  const dataKey = await crypto.subtle.importKey('raw', dataKeyRaw, 'AES-GCM', false, ['encrypt']);
  const dataIv = iv();
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: dataIv, additionalData: encoder.encode(aad) },
    dataKey,
    encoder.encode(plaintext),
  );
  const wrapIv = iv();
  const wrapped = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: wrapIv, additionalData: encoder.encode(`dk:${aad}`) },
    kek,
    dataKeyRaw,
  );
  dataKeyRaw.fill(0);
  const wrappedKey = new Uint8Array(12 + wrapped.byteLength);
  wrappedKey.set(wrapIv, 0);
  wrappedKey.set(new Uint8Array(wrapped), 12);
  return {
    ciphertext: base64UrlEncode(ciphertext),
    iv: base64UrlEncode(dataIv),
    wrappedKey: base64UrlEncode(wrappedKey),
    keyVersion: MASTER_KEY_VERSION,
  };
}

/** Throws (WebCrypto OperationError) when the envelope was tampered with or moved. */
export async function openSecret(masterKey: string, env: Envelope, aad: string): Promise<string> {
  if (env.keyVersion !== MASTER_KEY_VERSION) {
    throw new MasterKeyError(`no master key of version ${env.keyVersion}`);
  }
  const kek = await importMasterKey(masterKey);
  const wrapped = bytes(base64UrlDecode(env.wrappedKey));
  const dataKeyRaw = new Uint8Array(
    await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: wrapped.slice(0, 12), additionalData: encoder.encode(`dk:${aad}`) },
      kek,
      wrapped.slice(12),
    ),
  );
  const dataKey = await crypto.subtle.importKey('raw', dataKeyRaw, 'AES-GCM', false, ['decrypt']);
  dataKeyRaw.fill(0);
  const plaintext = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: bytes(base64UrlDecode(env.iv)), additionalData: encoder.encode(aad) },
    dataKey,
    bytes(base64UrlDecode(env.ciphertext)),
  );
  return new TextDecoder().decode(plaintext);
}

/** The AAD of a server secret row. */
export function secretAad(serverId: string, name: string): string {
  return `secret:${serverId}:${name}`;
}

/** The AAD of a server's alert-webhook signing secret (server_alerts). */
export function alertAad(serverId: string): string {
  return `alert:${serverId}`;
}
