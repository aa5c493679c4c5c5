// Cutting a result to its size budget at structural boundaries (issue 14): whole array elements
// first, then long strings at a line, then whole object members — never in the middle of a JSON
// token, so what is left is valid JSON of the same shape. Sizes are characters of compact JSON.
import { formatPath } from './json-path';

export type Cut =
  | { kind: 'items'; path: string; kept: number; total: number }
  | { kind: 'members'; path: string; omitted: string[] }
  | { kind: 'text'; path: string; keptChars: number; totalChars: number };

/** A string is cut only when it is longer than this, and never below it. */
const MIN_STRING_CHARS = 200;
const STRING_MARK = ' …[cut]';
/** Steps per phase: each step cuts one array or one object, largest first. */
const MAX_STEPS = 100;

type Container = unknown[] | Record<string, unknown>;
type Candidate = { parent: Container | undefined; key: string | number; path: (string | number)[] };
type Found = { array?: Candidate & { size: number }; strings: (Candidate & { length: number })[] };
type Phase = 'arrays-to-one' | 'strings' | 'arrays-to-none' | 'members';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Compact JSON length of `value`, noting the largest array and string `phase` may cut. */
function measure(
  value: unknown,
  path: (string | number)[],
  parent: Container | undefined,
  key: string | number,
  phase: Phase,
  found: Found,
): number {
  if (Array.isArray(value)) {
    let size = 2 + Math.max(0, value.length - 1);
    value.forEach((v, i) => (size += measure(v, [...path, i], value, i, phase, found)));
    const min = phase === 'arrays-to-one' ? 1 : 0;
    if (value.length > min && (!found.array || size > found.array.size)) {
      found.array = { parent, key, path, size };
    }
    return size;
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    let size = 2 + Math.max(0, entries.length - 1);
    for (const [k, v] of entries) {
      size += JSON.stringify(k).length + 1 + measure(v, [...path, k], value, k, phase, found);
    }
    return size;
  }
  if (typeof value === 'string') {
    const size = JSON.stringify(value).length;
    if (phase === 'strings' && value.length > MIN_STRING_CHARS + STRING_MARK.length) {
      found.strings.push({ parent, key, path, length: value.length });
    }
    return size;
  }
  return JSON.stringify(value ?? null).length;
}

function read(root: { v: unknown }, c: Candidate): unknown {
  return c.parent === undefined ? root.v : (c.parent as Record<string | number, unknown>)[c.key];
}

function write(root: { v: unknown }, c: Candidate, value: unknown) {
  if (c.parent === undefined) root.v = value;
  else (c.parent as Record<string | number, unknown>)[c.key] = value;
}

/** Cuts a string to about `keep` characters, at the last line break past half of it if any. */
export function cutString(text: string, keep: number): string {
  if (text.length <= keep) return text;
  let end = keep;
  const nl = text.lastIndexOf('\n', keep);
  if (nl > keep / 2) end = nl;
  // Never split a UTF-16 surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/**
 * Cuts `input` (taken over: it is changed in place) until its compact JSON is at most `maxChars`
 * characters. Returns the value and what was left out, one entry per cut location.
 */
export function cutJson(input: unknown, maxChars: number): { value: unknown; cuts: Cut[] } {
  const root = { v: input };
  const cuts = new Map<string, Cut>();
  let size = 0;
  for (const phase of ['arrays-to-one', 'strings', 'arrays-to-none', 'members'] as const) {
    for (let step = 0; step < MAX_STEPS; step++) {
      const found: Found = { strings: [] };
      size = measure(root.v, [], undefined, '', phase, found);
      if (size <= maxChars) return { value: root.v, cuts: [...cuts.values()] };
      const excess = size - maxChars;
      if (phase === 'strings') {
        cutStrings(root, found.strings, excess, cuts);
        break;
      }
      if (phase === 'members') {
        if (!dropMember(root, excess, cuts)) break;
        continue;
      }
      if (!found.array) break;
      cutArray(root, found.array, phase === 'arrays-to-one' ? 1 : 0, excess, cuts);
    }
  }
  size = measure(root.v, [], undefined, '', 'members', { strings: [] });
  if (size <= maxChars) return { value: root.v, cuts: [...cuts.values()] };
  // A safety net: dropping members of the largest object (the root, at worst) always fits, but
  // should a shape outlast the step limits, the compact JSON itself, cut, as one JSON string.
  const text = JSON.stringify(root.v);
  let kept = cutString(text, maxChars);
  // The string's own JSON escapes (every quote of the text) count against the budget too.
  for (let len = JSON.stringify(kept + STRING_MARK).length; len > maxChars;) {
    kept = cutString(kept, Math.floor((kept.length * maxChars) / len) - STRING_MARK.length - 2);
    len = JSON.stringify(kept + STRING_MARK).length;
  }
  return {
    value: kept + STRING_MARK,
    cuts: [{ kind: 'text', path: '', keptChars: kept.length, totalChars: text.length }],
  };
}

/** Drops whole items from the end of one array, down to `min`, until `excess` is shed. */
function cutArray(
  root: { v: unknown },
  at: Candidate,
  min: number,
  excess: number,
  cuts: Map<string, Cut>,
) {
  const arr = read(root, at) as unknown[];
  let keep = arr.length;
  let shed = 0;
  while (keep > min && shed < excess) {
    keep--;
    shed += JSON.stringify(arr[keep]).length + 1;
  }
  const path = formatPath(at.path);
  const prior = cuts.get(path);
  const total = prior?.kind === 'items' ? prior.total : arr.length;
  arr.length = keep;
  cuts.set(path, { kind: 'items', path, kept: keep, total });
}

/**
 * Cuts every string longer than one length L to about L characters (at a line when it can),
 * L the largest that sheds `excess` (never below MIN_STRING_CHARS): the longest strings lose
 * the most, and one pass does it however many strings there are.
 */
function cutStrings(
  root: { v: unknown },
  strings: Found['strings'],
  excess: number,
  cuts: Map<string, Cut>,
) {
  if (strings.length === 0) return;
  const shedAt = (cap: number) =>
    strings.reduce((sum, s) => sum + Math.max(0, s.length - cap - STRING_MARK.length), 0);
  let lo = MIN_STRING_CHARS;
  let hi = Math.max(...strings.map((s) => s.length));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (shedAt(mid) >= excess) lo = mid;
    else hi = mid - 1;
  }
  for (const c of strings) {
    if (c.length <= lo + STRING_MARK.length) continue;
    const s = read(root, c) as string;
    const kept = cutString(s, lo);
    write(root, c, kept + STRING_MARK);
    const path = formatPath(c.path);
    cuts.set(path, { kind: 'text', path, keptChars: kept.length, totalChars: s.length });
  }
}

/** Drops the last members of the largest object; false when there is none left to drop. */
function dropMember(root: { v: unknown }, excess: number, cuts: Map<string, Cut>): boolean {
  let best: { obj: Record<string, unknown>; path: (string | number)[]; size: number } | undefined;
  const visit = (v: unknown, path: (string | number)[]): number => {
    if (Array.isArray(v)) {
      return v.reduce<number>((s, x, i) => s + visit(x, [...path, i]) + 1, 1);
    }
    if (!isObject(v)) return JSON.stringify(v ?? null).length;
    let size = 1;
    for (const [k, x] of Object.entries(v)) size += k.length + 4 + visit(x, [...path, k]);
    if (Object.keys(v).length > 0 && (!best || size > best.size)) best = { obj: v, path, size };
    return size;
  };
  visit(root.v, []);
  if (!best) return false;
  const { obj, path } = best;
  const keys = Object.keys(obj);
  const omitted: string[] = [];
  let shed = 0;
  while (keys.length > 0 && shed < excess) {
    const k = keys.pop()!;
    shed += JSON.stringify(k).length + 2 + JSON.stringify(obj[k] ?? null).length;
    delete obj[k];
    omitted.unshift(k);
  }
  const at = formatPath(path);
  const prior = cuts.get(`${at}{}`);
  const all = [...omitted, ...(prior?.kind === 'members' ? prior.omitted : [])];
  cuts.set(`${at}{}`, { kind: 'members', path: at, omitted: all });
  return true;
}

/** Cuts text to at most `maxChars` characters at a line; undefined when it already fits. */
export function cutText(
  text: string,
  maxChars: number,
): { text: string; keptLines: number; totalLines: number } | undefined {
  if (text.length <= maxChars) return undefined;
  const kept = cutString(text, maxChars);
  const count = (s: string) => s.split('\n').length;
  return { text: kept, keptLines: count(kept), totalLines: count(text) };
}
