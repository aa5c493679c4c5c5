// Turns a downstream HTTP response into MCP tool result content, within a size limit.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const MAX_RESPONSE_BYTES = 1024 * 1024;

export class ResponseTooLarge extends Error {
  readonly code = 'response_too_large';
}

/** Reads at most `limit` bytes; a larger body (declared or streamed) is refused and cancelled. */
export async function readLimited(res: Response, limit = MAX_RESPONSE_BYTES): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await res.body?.cancel();
    throw new ResponseTooLarge();
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ResponseTooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

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
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime.startsWith('image/')) return { kind: 'image', data: base64(bytes), mimeType: mime };
  const isText =
    mime === '' ||
    mime.startsWith('text/') ||
    mime.endsWith('+json') ||
    mime.endsWith('+xml') ||
    ['application/json', 'application/xml', 'application/javascript'].includes(mime);
  if (!isText) return { kind: 'binary', size: bytes.byteLength, mimeType: mime };
  const text = new TextDecoder().decode(bytes);
  if (mime === 'application/json' || mime.endsWith('+json') || mime === '') {
    try {
      return { kind: 'json', value: JSON.parse(text), text };
    } catch {
      // Declared JSON that does not parse is returned as text.
    }
  }
  return { kind: 'text', text };
}

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}
