// The encodings in which a downstream may echo a secret (runs in Node for the test downstream
// and in workerd for the tests, so only web-standard APIs).
const bytes = (s: string) => [...new TextEncoder().encode(s)];
const b64 = (s: string) => btoa(String.fromCharCode(...bytes(s)));
const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
const jsonUnicode = (s: string, upper: boolean) =>
  [...s]
    .flatMap((c) => (c.length === 2 ? [c.charCodeAt(0), c.charCodeAt(1)] : [c.charCodeAt(0)]))
    .map((u) => `\\u${upper ? hex(u, 4).toUpperCase() : hex(u, 4)}`)
    .join('');

export const SECRET_FORMS = {
  raw: (s: string) => s,
  json: (s: string) => JSON.stringify(s).slice(1, -1),
  jsonSlashes: (s: string) => JSON.stringify(s).slice(1, -1).replaceAll('/', '\\/'),
  jsonAsciiOnly: (s: string) =>
    JSON.stringify(s)
      .slice(1, -1)
      .replace(/[^\x20-\x7e]/g, (c) => jsonUnicode(c, false)),
  jsonAllEscaped: (s: string) => jsonUnicode(s, true),
  percent: (s: string) => encodeURIComponent(s),
  percentLowercase: (s: string) =>
    encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  percentEveryByte: (s: string) =>
    bytes(s)
      .map((b) => `%${hex(b, 2)}`)
      .join(''),
  form: (s: string) => new URLSearchParams({ v: s }).toString().slice(2),
  html: (s: string) => [...s].map((c) => `&#${c.codePointAt(0)};`).join(''),
  htmlHex: (s: string) => [...s].map((c) => `&#x${hex(c.codePointAt(0)!, 0)};`).join(''),
  base64: (s: string) => b64(s),
  base64Offset1: (s: string) => b64(`u${s}`),
  basicCredential: (s: string) => b64(`user:${s}`),
  base64url: (s: string) =>
    b64(`ab${s}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''),
} satisfies Record<string, (s: string) => string>;

export type SecretForm = keyof typeof SECRET_FORMS;
