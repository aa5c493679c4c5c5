// Reads a body with a hard size limit, counted as it streams: a chunked body has no
// Content-Length to check first. For bodies from places we do not control (requests to the
// Workers, downstream APIs, client metadata documents). Runtime-neutral: Workers and Node alike.

export class BodyTooLarge extends Error {
  readonly code = 'body_too_large';
}

/** What a Request and a Response have in common. */
export type HttpMessage = { headers: Headers; body: ReadableStream<Uint8Array> | null };

/** Reads at most `limit` bytes; a larger body (declared or streamed) is refused and cancelled. */
export async function readLimited(message: HttpMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(message.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await message.body?.cancel();
    throw new BodyTooLarge();
  }
  if (!message.body) return new Uint8Array();
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLarge();
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

/** The body as UTF-8 text, within `limit` bytes. */
export async function readLimitedText(message: HttpMessage, limit: number): Promise<string> {
  return new TextDecoder().decode(await readLimited(message, limit));
}
