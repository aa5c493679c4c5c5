import { describe, expect, it } from 'vitest';
import { jsonNestingExceeds, MAX_JSON_DEPTH, parseJson } from './bounded-json';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('parseJson', () => {
  it('parses JSON nested up to the limit', () => {
    expect(parseJson(nested(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
    expect(parseJson('{"a":{"b":[1,2,{"c":null}]}}')).toEqual({
      ok: true,
      value: { a: { b: [1, 2, { c: null }] } },
    });
  });

  it('refuses JSON nested deeper than the limit without parsing it', () => {
    expect(parseJson(nested(MAX_JSON_DEPTH + 1))).toEqual({ ok: false, error: 'too_deep' });
    expect(parseJson(`{"a":${nested(100_000)}}`)).toEqual({ ok: false, error: 'too_deep' });
  });

  it('reports text that is not JSON as invalid_json', () => {
    expect(parseJson('{"a":')).toEqual({ ok: false, error: 'invalid_json' });
  });
});

describe('jsonNestingExceeds', () => {
  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestingExceeds(`["${'['.repeat(100)}"]`, 1)).toBe(false);
    expect(jsonNestingExceeds(`["\\"${'{'.repeat(100)}"]`, 1)).toBe(false);
    expect(jsonNestingExceeds('[["\\\\"]]', 1)).toBe(true);
  });
});
