// Turns a downstream HTTP response into MCP tool result content.
import type { CallToolResult } from '@modelcontextprotocol/server';
import { parseJson } from '../../../../lib/http/bounded-json';

/**
 * The most of a downstream body the runner reads (issue 14): enough for a 5 MB page of JSON to be
 * parsed and cut to budget (response-shaping.ts), well inside a Worker's 128 MB of memory. Past
 * it, only the start is read and returned as text, cut to budget, with a note.
 */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

export type Decoded =
  | { kind: 'json'; value: unknown; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'image'; data: string; mimeType: string }
  | { kind: 'binary'; size: number; mimeType: string };

export function decodeBody(bytes: Uint8Array, contentType: string | null): Decoded {
  // Compared lowercased, reported as sent: secret redaction matches the downstream's exact text.
  const declared = (contentType ?? '').split(';')[0]!.trim();
  const mime = declared.toLowerCase();
  if (mime.startsWith('image/')) return { kind: 'image', data: base64(bytes), mimeType: declared };
  const isText =
    mime === '' ||
    mime.startsWith('text/') ||
    mime.endsWith('+json') ||
    mime.endsWith('+xml') ||
    ['application/json', 'application/xml', 'application/javascript'].includes(mime);
  if (!isText) return { kind: 'binary', size: bytes.byteLength, mimeType: declared };
  const text = new TextDecoder().decode(bytes);
  if (mime === 'application/json' || mime.endsWith('+json') || mime === '') {
    // Declared JSON that does not parse, or nests too deep to handle safely, is returned as text.
    const parsed = parseJson(text);
    if (parsed.ok) return { kind: 'json', value: parsed.value, text };
  }
  return { kind: 'text', text };
}

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}
