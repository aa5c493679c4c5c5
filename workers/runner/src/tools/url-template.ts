// Fills a tool's URL template (DESIGN §4). Arguments change values, never the URL's shape: the
// server's credential goes with the request, so `/users/{name}/profile` must not become
// `/profile`. Everything is checked before any request leaves.
import { ARG, TemplateError, text } from './templates';

type Args = Record<string, unknown>;

const WHOLE_VALUE_PAIR = /^[^=]*=\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const TEMPLATED_AUTHORITY = /^https?:\/\/[^/?#]*\{/;

/**
 * RFC 3986 §3.3 and §5.2.4: `.` and `..` segments are removed when the URL is resolved, and the
 * WHATWG URL parser treats `%2e` as a dot there too. Encoded forms are refused as well, for
 * downstreams (or proxies) that decode twice.
 */
function isDotSegment(value: string): boolean {
  return /^(?:\.|%2e){1,2}$/i.test(value);
}

function required(name: string, value: unknown): string {
  if (value === undefined || value === null) throw new TemplateError(`missing argument "${name}"`);
  return text(value);
}

/** A path placeholder: a non-empty value that is not a dot segment, percent-encoded. */
function pathValue(name: string, value: unknown): string {
  const s = required(name, value);
  if (s === '') throw new TemplateError(`argument "${name}" is empty; the URL path needs a value`);
  if (isDotSegment(s)) {
    throw new TemplateError(`argument "${name}" may not be "${s}" in the URL path`);
  }
  // RFC 3986 §2.1: `/ ? # & =` and `%` are encoded, so a value stays inside its segment.
  return encodeURIComponent(s);
}

const withQuery = (path: string, pairs: string[]) =>
  pairs.length > 0 ? `${path}?${pairs.join('&')}` : path;
const segments = (url: URL) => url.pathname.split('/').length;
const params = (url: URL) => [...url.searchParams.keys()].length;

/**
 * Path placeholders must have a value; a query parameter whose whole value is one placeholder
 * of an absent optional argument is dropped rather than sent empty. The filled URL keeps the
 * template's origin (unless the template puts a placeholder there), number of path segments
 * and number of query parameters.
 */
export function fillUrl(template: string, args: Args): URL {
  const q = template.indexOf('?');
  const path = q === -1 ? template : template.slice(0, q);
  const pairs = (q === -1 ? [] : template.slice(q + 1).split('&')).filter((pair) => {
    const m = WHOLE_VALUE_PAIR.exec(pair);
    return !(m && (args[m[1]!] === undefined || args[m[1]!] === null));
  });

  const filled = withQuery(
    path.replace(ARG, (_, name: string) => pathValue(name, args[name])),
    pairs.map((p) =>
      p.replace(ARG, (_, name: string) => encodeURIComponent(required(name, args[name]))),
    ),
  );
  let url: URL;
  let shape: URL;
  try {
    url = new URL(filled);
    // The template itself, each placeholder standing for a plain value.
    shape = new URL(withQuery(path, pairs).replace(ARG, 'x'));
  } catch {
    throw new TemplateError('the arguments do not make a valid URL');
  }
  if (!TEMPLATED_AUTHORITY.test(template) && url.origin !== shape.origin) {
    throw new TemplateError("an argument would change the URL's host");
  }
  if (segments(url) !== segments(shape)) {
    throw new TemplateError("an argument would change the URL's path");
  }
  if (params(url) !== params(shape)) {
    throw new TemplateError("an argument would change the URL's query parameters");
  }
  return url;
}
