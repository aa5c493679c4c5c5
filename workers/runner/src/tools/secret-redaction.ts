// A tool result never carries a secret (DESIGN §6), in any form the downstream may echo it or
// the runner may encode it: as is; percent-encoded (RFC 3986 §2.1, any subset of characters,
// either hex case, `+` for a space as in forms); JSON-escaped (RFC 8259 §7: `\"`, `\/`,
// `\uXXXX`, …); as HTML/XML character references; and base64 or base64url (RFC 4648 §4, §5),
// alone or inside a longer encoded value such as a Basic credential.
import type { CallToolResult } from '@modelcontextprotocol/server';

export const REDACTED = '[redacted]';
/** Shorter values would match ordinary text; secrets are never this short in practice. */
const MIN_SECRET_CHARS = 4;
/** A base64 run this long is specific enough to redact wherever it appears. */
const MIN_BASE64_CHARS = 6;

const utf8 = new TextEncoder();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Hex digits of `n` matching either case: 0x2f → `2[fF]`. */
function hex(n: number, width = 0): string {
  return n
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
}

const SHORT_JSON_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};
const NAMED_REFERENCES: Record<string, string[]> = {
  '&': ['&amp;'],
  '<': ['&lt;'],
  '>': ['&gt;'],
  '"': ['&quot;'],
  "'": ['&apos;'],
};

/** Every way one character may be written in text the runner returns, as a regex group. */
function characterPattern(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const units = ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [cp];
  const forms = [
    escapeRegExp(ch),
    [...utf8.encode(ch)].map((b) => `%${hex(b, 2)}`).join(''),
    units.map((u) => `\\\\u${hex(u, 4)}`).join(''),
    `&#0*${cp};`,
    `&#[xX]0*${hex(cp)};`,
  ];
  if (SHORT_JSON_ESCAPES[ch]) forms.push(escapeRegExp(SHORT_JSON_ESCAPES[ch]));
  for (const named of NAMED_REFERENCES[ch] ?? []) forms.push(escapeRegExp(named));
  if (ch === ' ') forms.push('\\+');
  return `(?:${forms.join('|')})`;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * The base64 characters determined by the secret alone, for each of its three possible
 * alignments within a longer encoded byte string (4 characters encode 3 bytes).
 */
function base64Cores(value: string): string[] {
  const bytes = utf8.encode(value);
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const shifted = new Uint8Array(offset + bytes.length);
    shifted.set(bytes, offset);
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = base64(shifted).slice(first, end);
    if (core.length < MIN_BASE64_CHARS) continue;
    cores.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return cores;
}

export type Redact = (text: string) => string;

/** Replaces every encoded form of every secret with `[redacted]`. */
export function secretRedactor(secrets: ReadonlyMap<string, string>): Redact {
  const patterns: string[] = [];
  for (const value of new Set(secrets.values())) {
    if (value.length < MIN_SECRET_CHARS) continue;
    patterns.push([...value].map(characterPattern).join(''));
    patterns.push(...base64Cores(value).map(escapeRegExp));
  }
  if (patterns.length === 0) return (text) => text;
  // Longest first, so a longer form is not cut short by a shorter one.
  patterns.sort((a, b) => b.length - a.length);
  const any = new RegExp(patterns.join('|'), 'g');
  return (text) => text.replace(any, REDACTED);
}

export function redactValue(value: unknown, redact: Redact): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [redact(k), redactValue(v, redact)]),
    );
  }
  return value;
}

/**
 * The last step before a result leaves the runner: every string in it is redacted, and binary
 * content (base64 `data`) that holds a secret is withheld rather than corrupted.
 */
export function redactResult(result: CallToolResult, redact: Redact): CallToolResult {
  const content = result.content.map((item) => {
    if ((item.type === 'image' || item.type === 'audio') && redact(item.data) !== item.data) {
      return {
        type: 'text' as const,
        text: `The ${item.type} was withheld: it contains a secret.`,
      };
    }
    return redactValue(item, redact) as typeof item;
  });
  return {
    ...result,
    content,
    ...(result.structuredContent
      ? {
          structuredContent: redactValue(
            result.structuredContent,
            redact,
          ) as typeof result.structuredContent,
        }
      : {}),
  };
}
