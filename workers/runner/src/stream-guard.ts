// An SSE answer lives longer than the check that let it start: the standalone GET stream stays
// open as long as the client holds it, and a POST's stream runs until its tool call ends. Every
// request is authorized when it arrives (bearer.ts); a stream is also re-checked before each event
// it forwards and every poll interval while idle, and ends, carrying nothing more, once its token
// has expired (beyond the leeway) or a revocation rule matches it (docs/runner.md "Revocation").
// The client then reconnects with its current token and meets the normal bearer check.

// Defined only in the bench's "revocation off" bundle (scripts/bench/runner.mjs); see bearer.ts.
declare const __MOAT_BENCH_SKIP_REVOCATION__: boolean | undefined;

/** Wraps an SSE response so it ends when `stillValid` says no; other responses pass unchanged. */
export function guardStream(
  res: Response,
  stillValid: () => Promise<boolean>,
  intervalMs: number,
): Response {
  if (typeof __MOAT_BENCH_SKIP_REVOCATION__ !== 'undefined' && __MOAT_BENCH_SKIP_REVOCATION__) {
    return res;
  }
  if (!res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    return res;
  }
  const reader = res.body.getReader();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    // Cancelling the source also tells the session its stream is gone, and settles a pending
    // read, which closes the client's stream below.
    reader.cancel().catch(() => {});
  };
  const timer = setInterval(() => {
    stillValid().then(
      (ok) => ok || end(),
      () => end(),
    );
  }, intervalMs);

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A cancelled source may reject its pending read instead of ending it: both end the stream.
      const next = ended ? undefined : await reader.read().catch(() => undefined);
      if (!next || next.done || ended || !(await stillValid().catch(() => false))) {
        end();
        controller.close();
        return;
      }
      controller.enqueue(next.value);
    },
    cancel() {
      end();
    },
  });
  return new Response(body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}
