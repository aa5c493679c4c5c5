// W3C Trace Context (https://www.w3.org/TR/trace-context/): a tools/call may carry `traceparent`
// and `tracestate` as HTTP headers or, in MCP 2026-07-28, in `params._meta`. A valid one makes the
// downstream call its child (same trace id, a new parent id); a malformed one is ignored, never
// an error (§3.2.2.3 / §3.3.1.1: "MUST ignore" / "MAY discard"), and a call without one starts a
// new trace, so every audited call names a trace id the downstream API also saw.

export type TraceContext = {
  traceId: string;
  /** The incoming parent id; undefined when this call started the trace. */
  parentId?: string;
  flags: string;
  /** Forwarded unchanged, only together with a valid traceparent (§3.3). */
  tracestate?: string;
};

const HEX = /^[0-9a-f]+$/;
const ZEROS = /^0+$/;

/** Parses a traceparent header value (§3.2), or undefined if it is not valid. */
export function parseTraceparent(value: unknown): Omit<TraceContext, 'tracestate'> | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  const parts = v.split('-');
  const [version, traceId, parentId, flags] = parts;
  if (!version || !traceId || !parentId || !flags) return undefined;
  // §3.2.2.1: two lowercase hex digits, ff is forbidden. Version 00 has exactly four fields;
  // a later version may append fields after the flags, which a 00 parser ignores (§4.3).
  if (version.length !== 2 || !HEX.test(version) || version === 'ff') return undefined;
  if (version === '00' ? parts.length !== 4 : v.length < 55 || (v.length > 55 && v[55] !== '-')) {
    return undefined;
  }
  if (traceId.length !== 32 || !HEX.test(traceId) || ZEROS.test(traceId)) return undefined;
  if (parentId.length !== 16 || !HEX.test(parentId) || ZEROS.test(parentId)) return undefined;
  if (flags.length !== 2 || !HEX.test(flags)) return undefined;
  return { traceId, parentId, flags };
}

// §3.3.1.3: list members `key=value`; keys are lowercase (optionally `tenant@system`), values
// printable ASCII without `,` and `=`, at most 32 members (§3.3.1.1) and 512 bytes in all.
const MEMBER =
  /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

export function validTracestate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 512) return undefined;
  const members = value
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  if (members.length === 0 || members.length > 32) return undefined;
  return members.every((m) => MEMBER.test(m)) ? members.join(',') : undefined;
}

/** The call's trace: `_meta` first (the message's own), else the HTTP headers, else a new one. */
export function traceOf(meta: unknown, headers: Headers | undefined): TraceContext {
  const m = (meta ?? {}) as Record<string, unknown>;
  const sources: [unknown, unknown][] = [
    [m.traceparent, m.tracestate],
    [headers?.get('traceparent'), headers?.get('tracestate')],
  ];
  for (const [parent, state] of sources) {
    const parsed = parseTraceparent(parent);
    if (parsed) {
      const tracestate = validTracestate(state);
      return tracestate ? { ...parsed, tracestate } : parsed;
    }
  }
  return { traceId: randomHex(16), flags: '00' };
}

/** The traceparent for the downstream request: this call's trace, a fresh span id (§3.2.2.4). */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${randomHex(8)}-${trace.flags}`;
}

function randomHex(bytes: number): string {
  for (;;) {
    const hex = [...crypto.getRandomValues(new Uint8Array(bytes))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    if (!ZEROS.test(hex)) return hex;
  }
}
