// Reading an OpenAPI 3.0/3.1 document: YAML or JSON text → a dereferenced plain object.
// YAML 1.2 is a superset of JSON, so one parser reads both. $refs are resolved by
// @apidevtools/json-schema-ref-parser with external resolution off: a pasted document may only
// point inside itself (no file or network reads on the server, no SSRF through "$ref").
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { parse as parseYaml } from 'yaml';

export const MAX_OPENAPI_BYTES = 8 * 1024 * 1024;

export type OpenApiErrorCode =
  | 'openapi_too_large'
  | 'openapi_parse_error'
  | 'openapi_unsupported_version'
  | 'openapi_invalid'
  | 'openapi_no_base_url'
  | 'openapi_no_operations';

/** A document Moat cannot turn into tools; `message` is safe to show the user. */
export class OpenApiError extends Error {
  readonly code: OpenApiErrorCode;
  constructor(code: OpenApiErrorCode, message: string) {
    super(message);
    this.name = 'OpenApiError';
    this.code = code;
  }
}

export type OpenApiObject = Record<string, unknown>;

export interface OpenApiDocument {
  /** "3.0" or "3.1" */
  version: '3.0' | '3.1';
  doc: OpenApiObject;
}

export function isObject(v: unknown): v is OpenApiObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and dereferences; throws OpenApiError with a message naming what is wrong. */
export async function readOpenApiDocument(text: string): Promise<OpenApiDocument> {
  if (new TextEncoder().encode(text).byteLength > MAX_OPENAPI_BYTES) {
    throw new OpenApiError(
      'openapi_too_large',
      `The document is larger than ${MAX_OPENAPI_BYTES / 1024 / 1024} MB. Remove paths you do not need and try again.`,
    );
  }
  let raw: unknown;
  try {
    // maxAliasCount bounds YAML alias expansion ("billion laughs").
    raw = parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new OpenApiError(
      'openapi_parse_error',
      `The document is neither valid JSON nor valid YAML${line ? ` (line ${line})` : ''}.`,
    );
  }
  if (!isObject(raw)) {
    throw new OpenApiError('openapi_invalid', 'The document must be a JSON or YAML object.');
  }
  const declared = raw.openapi ?? raw.swagger;
  const version = typeof declared === 'string' ? /^(\d+\.\d+)/.exec(declared)?.[1] : undefined;
  if (version !== '3.0' && version !== '3.1') {
    throw new OpenApiError(
      'openapi_unsupported_version',
      declared === undefined
        ? 'The document has no "openapi" field; only OpenAPI 3.0 and 3.1 are supported.'
        : `OpenAPI/Swagger ${String(declared)} is not supported; convert it to OpenAPI 3.0 or 3.1 first.`,
    );
  }
  if (!isObject(raw.paths) && !isObject(raw.webhooks)) {
    throw new OpenApiError('openapi_invalid', 'The document has no "paths" object.');
  }
  try {
    const doc = (await $RefParser.dereference(raw as never, {
      resolve: { external: false },
      dereference: { circular: 'ignore' },
    })) as unknown as OpenApiObject;
    return { version, doc };
  } catch (err) {
    const message = err instanceof Error && 'code' in err ? describeRefError(err) : undefined;
    throw new OpenApiError(
      'openapi_invalid',
      message ?? 'A "$ref" in the document could not be resolved.',
    );
  }
}

function describeRefError(err: Error): string {
  // MissingPointerError et al. carry the pointer in the message; it comes from the user's own
  // document, so it is safe to echo (trimmed).
  return `A "$ref" could not be resolved: ${err.message.slice(0, 200)}`;
}
