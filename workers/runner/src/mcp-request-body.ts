// The body of a POST to `/{slug}/mcp`: JSON, read as it streams and cut off past 1 MiB (a chunked
// body has no Content-Length to check first), nested at most MAX_JSON_DEPTH deep before anything
// parses it. Failures are JSON-RPC errors (JSON-RPC 2.0 §5.1): -32700 for text that is not JSON,
// -32600 for a request refused as a whole, with the request's id when it can be read.
import { BodyTooLarge, readLimitedText } from '../../../lib/http/bounded-body';
import { MAX_JSON_DEPTH, parseJson } from '../../../lib/http/bounded-json';
import { JsonRpcError, type JsonRpcId } from './json-rpc-error';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The `id` of a top-level JSON-RPC object whose members nest too deep to parse: every nested
 * value is replaced by `null` (strings skipped whole), and what is left is one level deep.
 */
export function topLevelId(text: string): JsonRpcId {
  const kept: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') {
      if (++depth === 2) {
        kept.push(text.slice(from, i), 'null');
      }
    } else if (c === '}' || c === ']') {
      if (--depth === 1) from = i + 1;
    }
  }
  kept.push(text.slice(from));
  try {
    const id = (JSON.parse(kept.join('')) as { id?: unknown } | null)?.id;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/** The parsed body, or a thrown JsonRpcError saying why there is none. */
export async function readMcpBody(req: Request): Promise<unknown> {
  const ct = req.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(ct)) {
    throw new JsonRpcError(415, -32000, 'Content-Type must be application/json');
  }
  let text: string;
  try {
    text = await readLimitedText(req, MAX_BODY_BYTES);
  } catch (err) {
    if (!(err instanceof BodyTooLarge)) throw err;
    throw new JsonRpcError(413, -32600, 'Invalid Request: the body is larger than 1 MiB');
  }
  const parsed = parseJson(text);
  if (parsed.ok) return parsed.value;
  if (parsed.error === 'too_deep') {
    throw new JsonRpcError(
      400,
      -32600,
      `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      { id: topLevelId(text) },
    );
  }
  throw new JsonRpcError(400, -32700, 'Parse error: Invalid JSON');
}
