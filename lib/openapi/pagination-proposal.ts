// Proposes a tool's pagination from its OpenAPI operation (issue 14): only when a GET operation has
// an obvious cursor, page or offset query parameter AND its 2xx JSON response has the field that
// goes with it (a next cursor; items to count). Anything less obvious is left to the owner, since
// a wrong guess would hand the model wrong next-page arguments.
import type { Pagination } from '../spec/response-shaping';
import { formatPath } from '../shaping/json-path';
import { isObject, type OpenApiObject } from './document';

const norm = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const CURSOR_PARAMS = new Set([
  'cursor',
  'after',
  'pagetoken',
  'nexttoken',
  'continuationtoken',
  'continuation',
  'marker',
  'startingafter',
  'startcursor',
]);
const PAGE_PARAMS = new Set(['page', 'pagenumber', 'pageno']);
const OFFSET_PARAMS = new Set(['offset', 'skip', 'start']);
const SIZE_PARAMS = new Set([
  'perpage',
  'pagesize',
  'limit',
  'size',
  'maxresults',
  'count',
  'first',
  'pagelimit',
]);
const NEXT_FIELDS = new Set([
  'nextcursor',
  'nextpagetoken',
  'nexttoken',
  'endcursor',
  'next',
  'cursor',
  'nextmarker',
  'continuationtoken',
  'startcursor',
]);
const TOTAL_FIELDS = new Set(['total', 'totalcount', 'totalresults', 'totalitems', 'count']);
const HAS_MORE_FIELDS = new Set(['hasmore', 'hasnextpage', 'more']);

type Field = { path: (string | number)[]; schema: OpenApiObject };

/** The JSON schema of the first 2xx response with a JSON body. */
function responseSchema(op: OpenApiObject): OpenApiObject | undefined {
  if (!isObject(op.responses)) return undefined;
  for (const [status, res] of Object.entries(op.responses)) {
    if (!/^2\d\d$/.test(status) || !isObject(res) || !isObject(res.content)) continue;
    for (const [type, media] of Object.entries(res.content)) {
      if (/json/i.test(type) && isObject(media) && isObject(media.schema)) return media.schema;
    }
  }
  return undefined;
}

/** Members of an object schema, two levels deep (e.g. `meta.next_cursor`, `pageInfo.endCursor`). */
function fields(schema: OpenApiObject, path: string[] = [], depth = 0): Field[] {
  if (!isObject(schema.properties) || depth > 1) return [];
  const out: Field[] = [];
  for (const [name, sub] of Object.entries(schema.properties)) {
    if (!isObject(sub)) continue;
    out.push({ path: [...path, name], schema: sub });
    out.push(...fields(sub, [...path, name], depth + 1));
  }
  return out;
}

const typeOf = (s: OpenApiObject) => (Array.isArray(s.type) ? s.type : [s.type]);
const find = (all: Field[], names: Set<string>, type: string) =>
  all.find((f) => names.has(norm(String(f.path.at(-1)))) && typeOf(f.schema).includes(type));

/**
 * The pagination to propose, or undefined. `queryArgs` maps each query parameter's name to the
 * tool argument that carries it.
 */
export function proposePagination(
  method: string,
  op: OpenApiObject,
  queryArgs: Record<string, string>,
): Pagination | undefined {
  if (method !== 'get') return undefined;
  const schema = responseSchema(op);
  if (!schema) return undefined;
  const params = Object.keys(queryArgs);
  const param = (names: Set<string>) => params.find((p) => names.has(norm(p)));
  const all = fields(schema);
  const items = typeOf(schema).includes('array')
    ? undefined
    : all.find((f) => f.path.length === 1 && typeOf(f.schema).includes('array'));
  if (!typeOf(schema).includes('array') && !items) return undefined;
  const total = find(all, TOTAL_FIELDS, 'integer') ?? find(all, TOTAL_FIELDS, 'number');
  const hasMore = find(all, HAS_MORE_FIELDS, 'boolean');
  const size = param(SIZE_PARAMS);
  const common = {
    ...(size ? { sizeParam: queryArgs[size]! } : {}),
    ...(items ? { items: formatPath(items.path) } : {}),
    ...(total ? { total: formatPath(total.path) } : {}),
    ...(hasMore ? { hasMore: formatPath(hasMore.path) } : {}),
  };

  const cursor = param(CURSOR_PARAMS);
  if (cursor) {
    const next = find(all, NEXT_FIELDS, 'string');
    if (next)
      return { style: 'cursor', param: queryArgs[cursor]!, next: formatPath(next.path), ...common };
    // Stripe-style: the cursor is the last item's id, and a has_more flag says whether to go on.
    const itemSchema = items && isObject(items.schema.items) ? items.schema.items : undefined;
    const hasId =
      itemSchema && isObject(itemSchema.properties) && isObject(itemSchema.properties.id);
    if (norm(cursor) === 'startingafter' && hasMore && items && hasId) {
      return {
        style: 'cursor',
        param: queryArgs[cursor]!,
        next: `${formatPath(items.path)}[-1].id`,
        ...common,
      };
    }
    return undefined;
  }
  const page = param(PAGE_PARAMS);
  if (page) return { style: 'page', param: queryArgs[page]!, ...common };
  const offset = param(OFFSET_PARAMS);
  if (offset) return { style: 'offset', param: queryArgs[offset]!, ...common };
  return undefined;
}
