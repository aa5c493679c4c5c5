// An SSE answer lives longer than the check that let it start: the standalone GET stream stays
// open as long as the client holds it, and a POST's stream runs until its tool call ends. Every
// request is authorized when it arrives (bearer.ts); a stream is also re-checked every poll
// interval and ends, carrying nothing more, once its token has expired (beyond the leeway) or a
// revocation rule matches it (docs/runner.md "Revocation"). The client then reconnects with its
// current token and meets the normal bearer check.

/**
 * Wraps an SSE response so it ends when `stillValid` says no; other responses pass unchanged. When
 * the source itself fails (its Durable Object was reset), `lastWords` is written before the end.
 */
export function guardStream(
  res: Response,
  stillValid: () => Promise<boolean>,
  intervalMs: number,
  lastWords?: Uint8Array,
): Response {
  if (!res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    return res;
  }
  // The bytes flow through a native pipe (no JavaScript per event); only the timer runs here.
  const { readable, writable } = new IdentityTransformStream();
  const stop = new AbortController();
  const timer = setInterval(() => {
    stillValid().then(
      (ok) => ok || stop.abort(),
      () => stop.abort(),
    );
  }, intervalMs);
  // Aborting cancels the source (the session learns its stream is gone) and closes the client's
  // stream cleanly: an SSE client sees the end of the stream and reconnects.
  res.body
    .pipeTo(writable, { signal: stop.signal, preventAbort: true })
    .catch(async () => {
      if (lastWords && !stop.signal.aborted) {
        const writer = writable.getWriter();
        await writer.write(lastWords).catch(() => {});
        writer.releaseLock();
      }
      await writable.close().catch(() => {});
    })
    .finally(() => clearInterval(timer));
  return new Response(readable, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}
