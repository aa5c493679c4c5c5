// JSON from outside is parsed only when its nesting is bounded. V8's JSON.parse copes with deep
// input, but what follows it recurses — structured clone to a Durable Object, zod, JSON.stringify,
// JSON Schema validation — and overflows the stack with a RangeError: a 500 for bad input.
// RFC 8259 §9 allows a parser to limit nesting depth.

export const MAX_JSON_DEPTH = 64;

export type ParsedJson =
  { ok: true; value: unknown } | { ok: false; error: 'invalid_json' | 'too_deep' };

/** Whether arrays and objects in `text` nest deeper than `limit` (brackets in strings ignored). */
export function jsonNestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): ParsedJson {
  if (jsonNestingExceeds(text, maxDepth)) return { ok: false, error: 'too_deep' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'invalid_json' };
  }
}
