// Next-page arguments from a tool's declared pagination (issue 14): read from the API's own
// response (before projection), so the model is told the exact arguments of the next call.
import type { Pagination } from '../spec/response-shaping';
import { getPath } from './json-path';

export type PageInfo = {
  /** The page's items as the API sent them, when they could be found. */
  items?: number;
  total?: number;
  /** The arguments of the next call, or undefined on the last page. */
  next?: Record<string, unknown>;
};

/** The page's items: the declared path, else the response if it is an array, else its first array member. */
export function pageItems(
  response: unknown,
  pagination: Pick<Pagination, 'items'>,
): unknown[] | undefined {
  if (pagination.items !== undefined) {
    const v = getPath(response, pagination.items);
    return Array.isArray(v) ? v : undefined;
  }
  if (Array.isArray(response)) return response;
  if (response !== null && typeof response === 'object') {
    return Object.values(response).find(Array.isArray) as unknown[] | undefined;
  }
  return undefined;
}

const asNumber = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

export function pageInfo(
  pagination: Pagination,
  args: Record<string, unknown>,
  response: unknown,
): PageInfo {
  const items = pageItems(response, pagination)?.length;
  const total = pagination.total ? asNumber(getPath(response, pagination.total)) : undefined;
  const declaredMore = pagination.hasMore ? getPath(response, pagination.hasMore) : undefined;
  const size = pagination.sizeParam ? asNumber(args[pagination.sizeParam]) : undefined;
  const info: PageInfo = { items, total };
  const withParam = (value: unknown) => ({ ...args, [pagination.param]: value });

  if (declaredMore === false || items === 0) return info;
  if (pagination.style === 'cursor') {
    const cursor = getPath(response, pagination.next!);
    if (cursor === undefined || cursor === null || cursor === '') return info;
    if (typeof cursor !== 'string' && typeof cursor !== 'number') return info;
    return { ...info, next: withParam(cursor) };
  }
  // A short page is the last one, when the page size is known (RFC-less, but every page API).
  if (declaredMore !== true && size !== undefined && items !== undefined && items < size)
    return info;
  if (pagination.style === 'page') {
    const first = pagination.firstPage ?? 1;
    const page = asNumber(args[pagination.param]) ?? first;
    const perPage = size ?? items;
    if (total !== undefined && perPage !== undefined && (page - first + 1) * perPage >= total) {
      return info;
    }
    if (declaredMore !== true && items === undefined && total === undefined) return info;
    return { ...info, next: withParam(page + 1) };
  }
  const offset = asNumber(args[pagination.param]) ?? 0;
  if (items === undefined) return info;
  if (total !== undefined && offset + items >= total) return info;
  return { ...info, next: withParam(offset + items) };
}
