// One tools/call inside a session: arguments checked against inputSchema, secrets and the
// caller's connection tokens opened, the HTTP tool run with progress notifications, and the call
// audited off the response path.
import { Validator } from '@cfworker/json-schema';
import {
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
} from '@modelcontextprotocol/server';
import { referencedConnections } from '../../../../lib/spec/connections';
import type { ServerSpec, Tool } from '../../../../lib/spec/server-spec';
import type { Principal } from '../bearer';
import {
  neededMessage,
  resolveConnections,
  type ConnectionNeeded,
} from '../connections/connection-tokens';
import { openSecretsCached } from '../store/secret-cache';
import { openSecrets } from '../store/secrets';
import { runHttpTool } from './http-tool';
import { cachedRedactor } from './redactor-cache';
import type { Redact } from './secret-redaction';
import { errorResult } from './response-content';
import { connectionKey, referencedSecrets } from './templates';
import type { TraceContext } from '../trace-context';

export const PROGRESS_INTERVAL_MS = 1000;
const AUDIT_ARG_CHARS = 200;

export type CallContext = {
  env: Pick<Env, 'DB' | 'MASTER_KEY' | 'ALLOW_PRIVATE_EGRESS' | 'ISSUER' | 'CONNECTION_REFRESH'> &
    Partial<Pick<Env, 'SERVER_REVALIDATE_MS'>>;
  serverId: string;
  /**
   * The published version being served: its opened secrets may then come from the isolate's
   * short copy (store/secret-cache.ts). Build-time tests pass none and always read D1.
   */
  version?: number;
  /** Whose connections `{{connections.<name>.access_token}}` reads; none at build time. */
  principal?: Pick<Principal, 'sub' | 'clientId'>;
  waitUntil?: (p: Promise<unknown>) => void;
  spec: ServerSpec;
  signal: AbortSignal;
  progressToken?: string | number;
  sendProgress: (progress: number, message: string) => Promise<void>;
  trace?: TraceContext;
};

export type CallAudit = {
  outcome: string;
  host?: string;
  status?: number;
  latencyMs: number;
  arguments: Record<string, unknown>;
  /** The connections whose tokens the call sent, by name (never a token). */
  connections?: string[];
  connectionStatus?: ConnectionNeeded['reason'];
};

const validators = new WeakMap<object, Validator>();

function validatorFor(tool: Tool): Validator {
  let v = validators.get(tool.inputSchema);
  if (!v) {
    v = new Validator(tool.inputSchema as never, '2020-12', false);
    validators.set(tool.inputSchema, v);
  }
  return v;
}

/** JSON-RPC -32602 naming the failing location, e.g. `/city: must be string`. */
export function checkArguments(tool: Tool, args: Record<string, unknown>): void {
  const result = validatorFor(tool).validate(args);
  if (result.valid) return;
  const details = result.errors
    .filter((e) => e.keyword !== 'properties' && e.keyword !== 'allOf')
    .slice(0, 5)
    .map((e) => `${e.instanceLocation.replace(/^#/, '') || '/'}: ${e.error}`);
  throw new ProtocolError(
    ProtocolErrorCode.InvalidParams,
    `Invalid arguments for tool ${tool.name}: ${details.join('; ') || 'does not match inputSchema'}`,
  );
}

/** Argument values for the audit log: truncated, and any value holding a secret redacted. */
function auditArguments(args: Record<string, unknown>, redact: Redact) {
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      const redacted = redact(text ?? '');
      if (redacted !== text) return [k, '[redacted]'];
      return [k, text && text.length > AUDIT_ARG_CHARS ? `${text.slice(0, AUDIT_ARG_CHARS)}…` : v];
    }),
  );
}

export async function callTool(
  tool: Tool,
  args: Record<string, unknown>,
  ctx: CallContext,
): Promise<{ result: CallToolResult; audit: CallAudit; needed?: ConnectionNeeded }> {
  const started = Date.now();
  checkArguments(tool, args);
  const templates = Object.values(tool.http.headers ?? {});
  if (tool.http.body) {
    templates.push(
      typeof tool.http.body === 'string' ? tool.http.body : JSON.stringify(tool.http.body),
    );
  }
  const names = [...referencedSecrets(templates)];
  const secrets =
    ctx.version === undefined
      ? await openSecrets(ctx.env.DB, ctx.env.MASTER_KEY, ctx.serverId, names)
      : await openSecretsCached(ctx.env, { id: ctx.serverId, version: ctx.version }, names);
  const linked = await resolveConnections(
    ctx.env,
    ctx.spec,
    ctx.serverId,
    ctx.principal,
    [...referencedConnections(templates)],
    ctx.waitUntil ?? (() => {}),
  );
  if (!linked.ok) {
    const { name, reason } = linked.needed;
    return {
      result: errorResult(neededMessage(linked.needed)),
      audit: {
        outcome: 'connection_needed',
        latencyMs: Date.now() - started,
        arguments: auditArguments(args, cachedRedactor(secrets)),
        connections: [name],
        connectionStatus: reason,
      },
      needed: linked.needed,
    };
  }
  for (const [name, token] of linked.tokens) secrets.set(connectionKey(name), token);
  const connections = linked.used.length ? { connections: linked.used.map((u) => u.name) } : {};

  // MCP progress (2025-11-25 basic/utilities/progress): only when the client sent a token.
  let timer: ReturnType<typeof setInterval> | undefined;
  if (ctx.progressToken !== undefined) {
    timer = setInterval(() => {
      const elapsed = Date.now() - started;
      ctx
        .sendProgress(elapsed, `waiting for the API (${Math.round(elapsed / 1000)} s)`)
        .catch(() => {});
    }, PROGRESS_INTERVAL_MS);
  }
  try {
    const run = await runHttpTool(tool, args, {
      egress: ctx.spec.egress,
      allowPrivateEgress: ctx.env.ALLOW_PRIVATE_EGRESS === '1',
      secrets,
      signal: ctx.signal,
      trace: ctx.trace,
    });
    return {
      result: run.result,
      audit: {
        outcome: run.outcome,
        host: run.host,
        status: run.status,
        latencyMs: Date.now() - started,
        arguments: auditArguments(args, cachedRedactor(secrets)),
        ...connections,
      },
    };
  } finally {
    clearInterval(timer);
  }
}
