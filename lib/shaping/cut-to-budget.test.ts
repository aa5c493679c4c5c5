import { describe, expect, it } from 'vitest';
import { cutJson, cutText } from './cut-to-budget';

const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: i, name: `item ${i}`, body: 'x'.repeat(50) }));

describe('cutJson', () => {
  it('keeps whole array items from the start and every other member', () => {
    const input = { total: 500, items: items(500), next: 'abc' };
    const { value, cuts } = cutJson(input, 5_000);
    const out = value as { total: number; items: { id: number }[]; next: string };
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(5_000);
    expect(out.total).toBe(500);
    expect(out.next).toBe('abc');
    expect(out.items.map((i) => i.id)).toEqual(
      Array.from({ length: out.items.length }, (_, i) => i),
    );
    expect(out.items.length).toBeGreaterThan(40);
    expect(cuts).toEqual([{ kind: 'items', path: 'items', kept: out.items.length, total: 500 }]);
  });

  it('leaves a value that fits untouched', () => {
    const input = { items: items(3) };
    expect(cutJson(structuredClone(input), 10_000)).toEqual({ value: input, cuts: [] });
  });

  it('cuts a long string at a line once arrays are down to one item', () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n');
    const { value, cuts } = cutJson([{ id: 1, text }], 1_500);
    const out = value as { id: number; text: string }[];
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(1_500);
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toMatch(/^line 0\n[\s\S]*\nline \d+ …\[cut\]$/);
    expect(cuts).toEqual([
      { kind: 'text', path: '[0].text', keptChars: expect.any(Number), totalChars: text.length },
    ]);
  });

  it('drops whole object members from the end when nothing else is left to cut', () => {
    const input = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`k${i}`, 'v'.repeat(20)]),
    );
    const { value, cuts } = cutJson(input, 2_000);
    const keys = Object.keys(value as object);
    expect(JSON.stringify(value).length).toBeLessThanOrEqual(2_000);
    expect(keys[0]).toBe('k0');
    expect(cuts).toHaveLength(1);
    expect(cuts[0]).toMatchObject({ kind: 'members', path: '' });
    expect(cuts[0]!.kind === 'members' && cuts[0]!.omitted[0]).toBe(`k${keys.length}`);
  });
});

describe('cutJson on wide shapes', () => {
  it('cuts a thousand long strings in one pass, the longest the most', () => {
    const input = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [`k${i}`, `${i}:`.padEnd(1000 + i, 'z')]),
    );
    const { value, cuts } = cutJson(input, 400_000);
    const out = value as Record<string, string>;
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(400_000);
    expect(Object.keys(out)).toHaveLength(1000);
    expect(out.k0!.endsWith('…[cut]')).toBe(true);
    expect(cuts).toHaveLength(1000);
  });
});

describe('cutText', () => {
  it('cuts at a line and counts the lines kept', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `row ${i}`).join('\n');
    const cut = cutText(text, 1_000)!;
    expect(cut.text.length).toBeLessThanOrEqual(1_000);
    expect(cut.text.endsWith(`row ${cut.keptLines - 1}`)).toBe(true);
    expect(cut.totalLines).toBe(1000);
    expect(cutText('short', 1_000)).toBeUndefined();
  });
});
