// Reads a response body with a hard size limit, for bodies fetched from places we do not control
// (downstream APIs, client metadata documents). Runtime-neutral: Workers and Node alike.

export class ResponseTooLarge extends Error {
  readonly code = 'response_too_large';
}

/** Reads at most `limit` bytes; a larger body (declared or streamed) is refused and cancelled. */
export async function readLimited(res: Response, limit: number): Promise<Uint8Array> {
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
