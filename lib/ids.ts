// Opaque identifiers: a readable prefix and 128 bits of randomness, base32-lowercase.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function randomToken(bytes = 16): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function newId(prefix: string, bytes = 16): string {
  return `${prefix}_${randomToken(bytes)}`;
}

/** Sortable by creation time: 9 base36 digits of milliseconds, then randomness. */
export function newTimeOrderedId(prefix: string, now = Date.now()): string {
  return `${prefix}_${now.toString(36).padStart(9, '0')}${randomToken(10)}`;
}
