// Runs a declarative HTTP tool (DESIGN §4, §6): fill templates, guard egress, call with a time
// limit, read a bounded response, and turn it into a tool result that never carries a secret.
import type { CallToolResult } from '@modelcontextprotocol/server';
import { egressAllows, isPrivateHost } from '../../../../lib/spec/egress';
import type { Tool } from '../../../../lib/spec/server-spec';
import { decodeBody, errorResult, MAX_RESPONSE_BYTES } from './response-content';
import { readPrefix } from './read-prefix';
import { shapedResult } from './response-shaping';
import { cachedRedactor } from './redactor-cache';
import { redactResult, type Redact } from './secret-redaction';
import { fillBody, fillHeaders, referencedArgs, TemplateError } from './templates';
import { fillUrl } from './url-template';
import { childTraceparent, type TraceContext } from '../trace-context';

export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;
const ERROR_SNIPPET_CHARS = 500;
/** Images are passed through whole or not at all: no budget can cut them at a boundary. */
const MAX_IMAGE_BYTES = 1024 * 1024;

export type HttpToolContext = {
  egress: readonly string[];
  allowPrivateEgress: boolean;
  secrets: ReadonlyMap<string, string>;
  /** Aborted when the client cancels the request (MCP notifications/cancelled). */
  signal: AbortSignal;
  /** The call's W3C trace (trace-context.ts): the downstream request becomes its child. */
  trace?: TraceContext;
};

export type HttpToolOutcome = {
  result: CallToolResult;
  outcome: 'ok' | 'downstream_error' | 'timeout' | 'cancelled' | 'refused' | 'failed';
  host?: string;
  status?: number;
};

/** Why a URL may not be fetched, or undefined when it may. */
export function egressRefusal(
  url: URL,
  egress: readonly string[],
  allowPrivate: boolean,
): string | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http(s) is allowed';
  if (url.username || url.password) return 'credentials in the URL are not allowed';
  if (!egressAllows(egress, url.host)) return `${url.host} is not in this server's egress list`;
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    return `${url.hostname} is a private or loopback address`;
  }
  return undefined;
}

function defaultBody(tool: Tool, args: Record<string, unknown>): string | undefined {
  if (!['POST', 'PUT', 'PATCH'].includes(tool.http.method)) return undefined;
  const used = referencedArgs([tool.http.url, ...Object.values(tool.http.headers ?? {})]);
  const rest = Object.fromEntries(Object.entries(args).filter(([k]) => !used.has(k)));
  return Object.keys(rest).length > 0 ? JSON.stringify(rest) : undefined;
}

/** Runs the call; whatever it returns is redacted of every secret on the way out. */
export async function runHttpTool(
  tool: Tool,
  args: Record<string, unknown>,
  ctx: HttpToolContext,
): Promise<HttpToolOutcome> {
  const redact = cachedRedactor(ctx.secrets);
  const out = await call(tool, args, ctx, redact);
  return { ...out, result: redactResult(out.result, redact) };
}

async function call(
  tool: Tool,
  args: Record<string, unknown>,
  ctx: HttpToolContext,
  redact: Redact,
): Promise<HttpToolOutcome> {
  let url: URL;
  let init: RequestInit;
  try {
    url = fillUrl(tool.http.url, args);
    const headers = fillHeaders(tool.http.headers, args, ctx.secrets);
    const filled = fillBody(tool.http.body, args, ctx.secrets, headers.get('content-type'));
    const body = filled?.body ?? defaultBody(tool, args);
    if (body !== undefined && !headers.has('content-type') && (filled?.json ?? true)) {
      headers.set('content-type', 'application/json');
    }
    if (!headers.has('accept'))
      headers.set('accept', 'application/json, text/plain;q=0.9, */*;q=0.5');
    headers.set('user-agent', 'moat-runner');
    // A traceparent the tool's own headers set is the owner's choice and stays.
    if (ctx.trace && !headers.has('traceparent')) {
      headers.set('traceparent', childTraceparent(ctx.trace));
      if (ctx.trace.tracestate) headers.set('tracestate', ctx.trace.tracestate);
    }
    init = { method: tool.http.method, headers, body, redirect: 'manual' };
  } catch (err) {
    const msg = err instanceof TemplateError ? err.message : 'the tool URL could not be built';
    return { result: errorResult(`Could not call the API: ${msg}.`), outcome: 'refused' };
  }

  const timeoutMs = tool.http.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const host = url.host;
  let res: Response;
  try {
    for (let hop = 0; ; hop++) {
      const refusal = egressRefusal(url, ctx.egress, ctx.allowPrivateEgress);
      if (refusal) {
        return { result: errorResult(`Refused: ${refusal}.`), outcome: 'refused', host: url.host };
      }
      res = await fetch(url, { ...init, signal });
      const location = res.headers.get('location');
      if (res.status < 300 || res.status > 399 || !location) break;
      await res.body?.cancel();
      const next = new URL(location, url);
      // Redirects stay on the same host (and never downgrade to http): secrets in headers must
      // not follow a redirect to someone else.
      if (next.host !== url.host || (url.protocol === 'https:' && next.protocol !== 'https:')) {
        return {
          result: errorResult(`Refused: the API redirected to another host (${next.host}).`),
          outcome: 'refused',
          host,
          status: res.status,
        };
      }
      if (hop + 1 >= MAX_REDIRECTS) {
        return {
          result: errorResult('The API redirected too many times.'),
          outcome: 'failed',
          host,
        };
      }
      if (
        res.status === 303 ||
        ((res.status === 301 || res.status === 302) && init.method === 'POST')
      ) {
        init = { ...init, method: 'GET', body: undefined };
      }
      url = next;
    }
  } catch {
    if (ctx.signal.aborted)
      return { result: errorResult('Cancelled.'), outcome: 'cancelled', host };
    if (timeout.aborted) {
      return {
        result: errorResult(`The API did not answer within ${timeoutMs} ms.`),
        outcome: 'timeout',
        host,
      };
    }
    return { result: errorResult(`Could not reach ${host}.`), outcome: 'failed', host };
  }

  let bytes: Uint8Array;
  let truncated: boolean;
  try {
    ({ bytes, truncated } = await readPrefix(res, MAX_RESPONSE_BYTES));
  } catch {
    const message = timeout.aborted
      ? `The API did not answer within ${timeoutMs} ms.`
      : 'The API response could not be read.';
    const outcome = timeout.aborted ? 'timeout' : 'failed';
    return { result: errorResult(message), outcome, host, status: res.status };
  }

  const decoded = decodeBody(bytes, res.headers.get('content-type'));
  if (!res.ok) {
    // Redacted before it is cut, so no part of a secret survives at the edge of the snippet.
    const snippet =
      decoded.kind === 'json' || decoded.kind === 'text'
        ? redact(decoded.text).slice(0, ERROR_SNIPPET_CHARS).trim()
        : '';
    const line = `The API answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`;
    return {
      result: errorResult(snippet ? `${line}\n${snippet}` : line),
      outcome: 'downstream_error',
      host,
      status: res.status,
    };
  }

  const ok = (result: CallToolResult): HttpToolOutcome => ({
    result,
    outcome: 'ok',
    host,
    status: res.status,
  });
  const mismatch: HttpToolOutcome = {
    result: errorResult("The API response does not match the tool's outputSchema."),
    outcome: 'downstream_error',
    host,
    status: res.status,
  };
  // A tool with an outputSchema answers with structured content or not at all (MCP 2025-11-25
  // server/tools §Output Schema); JSON nested too deep to handle safely arrives here as text.
  if (tool.outputSchema && decoded.kind !== 'json') return mismatch;
  switch (decoded.kind) {
    case 'image':
      if (truncated || bytes.byteLength > MAX_IMAGE_BYTES) {
        const size = truncated ? `over ${MAX_RESPONSE_BYTES} bytes` : `${bytes.byteLength} bytes`;
        return ok({
          content: [
            {
              type: 'text',
              text: `Image response (${decoded.mimeType}, ${size}) left out: a tool result carries images up to 1 MiB.`,
            },
          ],
        });
      }
      return ok({ content: [{ type: 'image', data: decoded.data, mimeType: decoded.mimeType }] });
    case 'binary':
      return ok({
        content: [
          {
            type: 'text',
            text: `Binary response (${decoded.mimeType || 'unknown type'}, ${decoded.size} bytes).`,
          },
        ],
      });
    default: {
      const shaped = shapedResult(tool, decoded, args, redact, {
        status: res.status,
        truncatedAt: truncated ? MAX_RESPONSE_BYTES : undefined,
      });
      return shaped === 'mismatch' ? mismatch : ok(shaped);
    }
  }
}
