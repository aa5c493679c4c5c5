// The path language of response projection and pagination (docs/runner.md "Response shaping"):
// a small subset of JMESPath's identifiers, index and wildcard expressions, so an owner who knows
// JMESPath or jq reads it at once.
//   owner.login        a member of a member
//   items[0] items[-1] an element by index, counted from the end when negative
//   items[*].name      each element's member (an array; elements without it are skipped)
//   ["content-type"]   a member whose name is not an identifier
// A path that finds nothing yields undefined, never an error.

export type PathSegment =
  { kind: 'key'; name: string } | { kind: 'index'; index: number } | { kind: 'each' };

export class PathError extends Error {}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*/;
const MAX_PATH_CHARS = 256;

export function parsePath(path: string): PathSegment[] {
  if (path.length === 0) throw new PathError('a path may not be empty');
  if (path.length > MAX_PATH_CHARS) throw new PathError(`at most ${MAX_PATH_CHARS} characters`);
  const out: PathSegment[] = [];
  let i = 0;
  let expectMember = true; // at the start or after a dot
  while (i < path.length) {
    const rest = path.slice(i);
    if (rest[0] === '[') {
      const m = /^\[(?:(\*)|(-?\d{1,9})|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
      if (!m) throw new PathError(`expected [n], [*] or ["name"] at character ${i + 1}`);
      if (m[1]) out.push({ kind: 'each' });
      else if (m[2] !== undefined) out.push({ kind: 'index', index: Number(m[2]) });
      else out.push({ kind: 'key', name: JSON.parse(`"${m[3]!}"`) as string });
      i += m[0].length;
      expectMember = false;
      continue;
    }
    if (rest[0] === '.') {
      if (expectMember) throw new PathError(`unexpected "." at character ${i + 1}`);
      i += 1;
      expectMember = true;
      continue;
    }
    const m = IDENT.exec(rest);
    if (!m || !expectMember) {
      throw new PathError(`unexpected "${rest[0]!}" at character ${i + 1}`);
    }
    out.push({ kind: 'key', name: m[0] });
    i += m[0].length;
    expectMember = false;
  }
  if (expectMember) throw new PathError('a path may not end with "."');
  return out;
}

/** The path's problem as a message, or undefined when it parses: for zod refinements. */
export function pathProblem(path: string): string | undefined {
  try {
    parsePath(path);
    return undefined;
  } catch (err) {
    return err instanceof PathError ? err.message : 'not a valid path';
  }
}

const parsed = new Map<string, PathSegment[]>();

function segmentsOf(path: string): PathSegment[] {
  let s = parsed.get(path);
  if (!s) {
    s = parsePath(path);
    if (parsed.size > 1000) parsed.clear();
    parsed.set(path, s);
  }
  return s;
}

function walk(value: unknown, segments: PathSegment[], at: number): unknown {
  if (at === segments.length) return value;
  const seg = segments[at]!;
  if (seg.kind === 'each') {
    if (!Array.isArray(value)) return undefined;
    return value.map((v) => walk(v, segments, at + 1)).filter((v) => v !== undefined);
  }
  if (seg.kind === 'index') {
    if (!Array.isArray(value)) return undefined;
    const i = seg.index < 0 ? value.length + seg.index : seg.index;
    return walk(value[i], segments, at + 1);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(value, seg.name)) return undefined;
  return walk((value as Record<string, unknown>)[seg.name], segments, at + 1);
}

/** The value at `path` in `value`, or undefined. */
export function getPath(value: unknown, path: string): unknown {
  return walk(value, segmentsOf(path), 0);
}

/** A location in a value, written in the same language: `items[3].name`, `` for the root. */
export function formatPath(parts: readonly (string | number)[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}
