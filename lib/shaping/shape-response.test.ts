import { describe, expect, it } from 'vitest';
import type { ResponseShaping } from '../spec/response-shaping';
import { pageInfo } from './pagination';
import { shapeJson, shapeText } from './shape-response';

const rows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    id: from + i,
    title: `row ${from + i}`,
    pad: 'p'.repeat(80),
  }));

describe('pagination', () => {
  it('cursor style: the next cursor from the response, none on the last page', () => {
    const p = { style: 'cursor', param: 'cursor', next: 'meta.next' } as const;
    expect(pageInfo(p, { q: 'x' }, { data: rows(2), meta: { next: 'c2' } })).toEqual({
      items: 2,
      total: undefined,
      next: { q: 'x', cursor: 'c2' },
    });
    expect(pageInfo(p, {}, { data: rows(2), meta: { next: null } }).next).toBeUndefined();
  });

  it('page style: the next page number, none past the total', () => {
    const p = { style: 'page', param: 'page', sizeParam: 'per_page', total: 'total' } as const;
    expect(pageInfo(p, { per_page: 2 }, { total: 5, items: rows(2) }).next).toEqual({
      per_page: 2,
      page: 2,
    });
    expect(
      pageInfo(p, { per_page: 2, page: 3 }, { total: 5, items: rows(1) }).next,
    ).toBeUndefined();
  });

  it('offset style: the offset after this page; a has_more false ends it', () => {
    const p = { style: 'offset', param: 'offset', hasMore: 'has_more' } as const;
    expect(pageInfo(p, { offset: 10 }, { has_more: true, data: rows(5) }).next).toEqual({
      offset: 15,
    });
    expect(pageInfo(p, { offset: 10 }, { has_more: false, data: rows(5) }).next).toBeUndefined();
  });
});

describe('shapeJson', () => {
  it('returns the API text unchanged when it fits and nothing is projected', () => {
    const text = JSON.stringify({ items: rows(3) });
    const out = shapeJson('list', undefined, {}, JSON.parse(text), text);
    expect(out).toMatchObject({ text, changed: false, cuts: [], note: undefined });
  });

  it('says how many items were shown and the offset where the rest of the page starts', () => {
    const shaping: ResponseShaping = {
      maxTokens: 1000,
      pagination: { style: 'offset', param: 'offset', sizeParam: 'limit' },
    };
    const response = { items: rows(200, 400) };
    const out = shapeJson(
      'list_rows',
      shaping,
      { offset: 400, limit: 200 },
      response,
      JSON.stringify(response),
    );
    const kept = (out.value as { items: unknown[] }).items.length;
    expect(out.text.length + out.note!.length).toBeLessThanOrEqual(4_000);
    expect(out.note).toContain(
      `[Cut to fit the 1,000-token budget: showing ${kept} of 200 items of \`items\`.]`,
    );
    expect(out.note).toContain(
      `The rest of this page starts at {"offset":${400 + kept},"limit":200}.`,
    );
    expect(out.note).toContain('Next page: call list_rows with {"offset":600,"limit":200}.');
  });

  it('names the exact next-page arguments when nothing was cut', () => {
    const shaping: ResponseShaping = {
      pagination: { style: 'cursor', param: 'after', next: 'page.end' },
    };
    const response = { nodes: rows(2), page: { end: 'Y3Vyc29y' } };
    const out = shapeJson('search', shaping, { q: 'moat' }, response, JSON.stringify(response));
    expect(out.note).toBe(
      'This page has 2 items. Next page: call search with {"q":"moat","after":"Y3Vyc29y"}.',
    );
  });

  it('says when the items cut from a cursor page cannot be reached by paging', () => {
    const shaping: ResponseShaping = {
      maxTokens: 1000,
      pagination: { style: 'cursor', param: 'after', next: 'next' },
    };
    const response = { items: rows(200), next: 'n2' };
    const out = shapeJson('list', shaping, {}, response, JSON.stringify(response));
    expect(out.note!.split('\n')).toEqual([
      expect.stringMatching(/^\[Cut to fit the 1,000-token budget: showing \d+ of 200 items/),
      'To see what was left out, call again with narrower arguments (a filter or a smaller page). The next page does not include them.',
      'This page has 200 items. Next page: call list with {"after":"n2"}.',
    ]);
  });

  it('projects before it measures, so a projected answer may fit where the raw one did not', () => {
    const shaping: ResponseShaping = {
      maxTokens: 1000,
      projection: { select: 'items', fields: { id: 'id' } },
    };
    const response = { items: rows(100) };
    const out = shapeJson('list', shaping, {}, response, JSON.stringify(response));
    expect(out.changed).toBe(true);
    expect(out.cuts).toEqual([]);
    expect(JSON.parse(out.text)).toEqual(rows(100).map((r) => ({ id: r.id })));
  });
});

describe('secrets and cuts', () => {
  it('redacts before it cuts, so no part of a secret is left at the edge of a cut', () => {
    const secret = 'TOPSECRETVALUE';
    const redact = (t: string) => t.replaceAll(secret, '[redacted]');
    const redactValue = (v: unknown): unknown =>
      typeof v === 'string'
        ? redact(v)
        : Array.isArray(v)
          ? v.map(redactValue)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactValue(x)]))
            : v;
    for (let lead = 0; lead < secret.length; lead++) {
      const response = { s: 'x'.repeat(1000 + lead) + secret.repeat(400) };
      const out = shapeJson(
        't',
        { maxTokens: 500 },
        {},
        response,
        JSON.stringify(response),
        redactValue,
      );
      expect(out.cuts[0]).toMatchObject({ kind: 'text', path: 's' });
      expect(redact(out.text)).not.toMatch(/TOPSEC|SECRETV|ETVALUE/);
    }
  });
});

describe('shapeText', () => {
  it('cuts text at a line and says how many lines are shown', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n');
    const out = shapeText({ maxTokens: 500 }, text)!;
    expect(out.text.length).toBeLessThanOrEqual(2_000);
    expect(out.note).toMatch(/^\[Cut to fit the 500-token budget: showing lines 1–\d+ of 5,000 /);
  });
});
