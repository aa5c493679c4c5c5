// Response projection (issue 14): keep the part of a JSON response the model needs, under the
// names it should see. `select` picks a part of the response; `fields` maps each output name to a
// path, applied to every element when the selected part is an array. Paths: json-path.ts.
import type { ResponseProjection } from '../spec/response-shaping';
import { getPath } from './json-path';

function pick(value: unknown, fields: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(fields)) {
    const v = getPath(value, path);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** The projected value; undefined when `select` finds nothing. */
export function project(value: unknown, projection: ResponseProjection): unknown {
  const selected = projection.select === undefined ? value : getPath(value, projection.select);
  if (selected === undefined || !projection.fields) return selected;
  const fields = projection.fields;
  return Array.isArray(selected) ? selected.map((v) => pick(v, fields)) : pick(selected, fields);
}
