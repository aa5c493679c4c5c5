// McpSession: one Durable Object per 2025-era MCP session (DESIGN §6). It runs the MCP SDK's
// web-standard sessionful Streamable HTTP transport over the server both eras share
// (mcp-server.ts), is bound at initialize to (server, version, sub, client_id), expires
// when idle (alarm → storage deleted) and can be rebuilt after eviction from its stored binding.
// Its principal's PrincipalSessions counts it from creation to end (principal-sessions.ts).
import { DurableObject } from 'cloudflare:workers';
import {
  ProtocolError,
  ProtocolErrorCode,
  type JSONRPCMessage,
} from '@modelcontextprotocol/server';
import { narrowToToolset } from '../../../lib/spec/narrow-to-toolset';
import type { ServerSpec } from '../../../lib/spec/server-spec';
import type { Principal } from './bearer';
import { sessionNotFound } from './json-rpc-error';
import { authInfoOf, createMcpServer, type ServedServer } from './mcp-server';
import { principalName, type PrincipalKey } from './session-names';
import { SessionTransport } from './session-transport';
import { loadSpec } from './store/servers';

export const IDLE_TTL_MS = 30 * 60 * 1000;
/**
 * `lastSeen` is written to storage at most this often rather than on every request, so a session
 * may end up to this much before its idle TTL (29 of 30 minutes idle; docs/decisions.md
 * 2026-12-03 "Session lastSeen written at most once a minute").
 */
export const LAST_SEEN_WRITE_MS = 60 * 1000;

/** What the Worker tells the session about a request it has already authenticated. */
export type SessionRequest = {
  sessionId: string;
  server: { id: string; orgId: string; slug: string; version: number; toolset?: string };
  principal: Principal;
  http: { method: string; url: string; headers: [string, string][] };
  body?: unknown;
};

/** Stored under `binding` since the first release; its shape is what old sessions hold. */
type Binding = ServedServer & {
  /** The toolset the session serves (`/{slug}/{toolset}/mcp`); absent for the full server. */
  toolset?: string;
  sessionId: string;
  sub: string;
  clientId: string;
  initialize: JSONRPCMessage;
  createdAt: number;
};

const notFound = () => sessionNotFound().getResponse();

const principalOf = (b: Binding): PrincipalKey => ({
  serverId: b.serverId,
  sub: b.sub,
  clientId: b.clientId,
});

function isInitialize(body: unknown): body is JSONRPCMessage {
  return (body as { method?: unknown } | undefined)?.method === 'initialize';
}

export class McpSession extends DurableObject<Env> {
  #binding: Binding | undefined;
  #transport: SessionTransport | undefined;
  #spec: ServerSpec | undefined;
  /** What storage holds under `lastSeen`, once read. */
  #lastSeenWritten: number | undefined;

  /** RPC from the runner Worker, after it verified the bearer token and the Origin. */
  async handle(req: SessionRequest): Promise<Response> {
    const binding = (this.#binding ??= this.ctx.storage.kv.get<Binding>('binding'));
    if (!binding) {
      if (req.http.method !== 'POST' || !isInitialize(req.body)) return notFound();
      await this.#create(req);
    } else {
      // RFC 9700 §4.x spirit, MCP security best practices "session hijacking": a session id is
      // not a credential; only the principal that created the session may use it. Unknown and
      // foreign sessions look the same (404), so the answer does not confirm an id exists.
      if (
        binding.sessionId !== req.sessionId ||
        binding.serverId !== req.server.id ||
        binding.sub !== req.principal.sub ||
        binding.clientId !== req.principal.clientId ||
        binding.toolset !== req.server.toolset
      ) {
        return notFound();
      }
      // A newer published version ends the session: the client re-initializes and sees the new
      // tools, and a tool removed from the spec stops working at once.
      if (binding.version !== req.server.version) {
        await this.#destroy();
        return notFound();
      }
      if (!this.#transport) await this.#restore(binding);
    }

    this.#touch();
    const request = new Request(req.http.url, {
      method: req.http.method,
      headers: req.http.headers,
    });
    const res = await this.#transport!.handleRequest(request, {
      parsedBody: req.body,
      authInfo: authInfoOf(req.principal), // the bearer token never enters the session
    });
    if (req.http.method === 'DELETE' && res.status === 200) await this.#destroy();
    return res;
  }

  /** RPC from PrincipalSessions: this session is its principal's oldest one past the limit. */
  async end(sessionId: string): Promise<void> {
    const binding = this.#binding ?? this.ctx.storage.kv.get<Binding>('binding');
    if (binding?.sessionId === sessionId) await this.#destroy({ release: false });
  }

  override async alarm(): Promise<void> {
    const lastSeen = this.ctx.storage.kv.get<number>('lastSeen') ?? 0;
    if (Date.now() - lastSeen >= IDLE_TTL_MS) {
      await this.#destroy();
    } else {
      this.ctx.storage.kv.put('alarmAt', lastSeen + IDLE_TTL_MS);
      await this.ctx.storage.setAlarm(lastSeen + IDLE_TTL_MS);
    }
  }

  async #create(req: SessionRequest): Promise<void> {
    const binding: Binding = {
      sessionId: req.sessionId,
      serverId: req.server.id,
      orgId: req.server.orgId,
      slug: req.server.slug,
      version: req.server.version,
      ...(req.server.toolset ? { toolset: req.server.toolset } : {}),
      sub: req.principal.sub,
      clientId: req.principal.clientId,
      initialize: req.body as JSONRPCMessage,
      createdAt: Date.now(),
    };
    this.#spec = await this.#loadSpec(binding);
    this.#binding = binding;
    this.ctx.storage.kv.put('binding', binding);
    this.#transport = await this.#connect(binding);
    try {
      await (await this.#principalSessions(binding)).admit(principalOf(binding), binding.sessionId);
    } catch (err) {
      // The limit protects storage, not access: a failed count does not fail the initialize.
      const { name, message } = err as Error;
      console.error('session admission failed', { name, message });
    }
  }

  async #principalSessions(binding: Binding) {
    const ns = this.env.PRINCIPAL_SESSIONS;
    return ns.get(ns.idFromName(await principalName(principalOf(binding))));
  }

  /** After eviction: rebuild the transport and replay the stored initialize, output discarded. */
  async #restore(binding: Binding): Promise<void> {
    this.#spec = await this.#loadSpec(binding);
    const transport = await this.#connect(binding);
    const replay = await transport.handleRequest(
      new Request('http://session.internal/mcp', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      }),
      { parsedBody: binding.initialize },
    );
    await replay.text();
    this.#transport = transport;
  }

  /** The version's spec, narrowed to the session's toolset when it has one. */
  async #loadSpec(binding: Binding): Promise<ServerSpec> {
    const spec = await loadSpec(this.env.DB, binding.serverId, binding.version);
    const served = spec && binding.toolset ? narrowToToolset(spec, binding.toolset) : spec;
    if (!served)
      throw new ProtocolError(ProtocolErrorCode.InternalError, 'server version not found');
    return served;
  }

  async #connect(binding: Binding): Promise<SessionTransport> {
    const server = createMcpServer(
      this.#spec!,
      binding,
      {
        env: this.env,
        waitUntil: (p) => this.ctx.waitUntil(p),
      },
      'legacy',
    );
    const transport = new SessionTransport({
      sessionIdGenerator: () => binding.sessionId,
    });
    await server.connect(transport);
    return transport;
  }

  #touch(): void {
    const now = Date.now();
    const written = (this.#lastSeenWritten ??= this.ctx.storage.kv.get<number>('lastSeen') ?? 0);
    if (now - written >= LAST_SEEN_WRITE_MS) {
      this.ctx.storage.kv.put('lastSeen', now);
      this.#lastSeenWritten = now;
    }
    // One alarm at most per half TTL of activity; alarm() re-arms from lastSeen.
    const alarmAt = this.ctx.storage.kv.get<number>('alarmAt');
    if (alarmAt === undefined || alarmAt < now + IDLE_TTL_MS / 2) {
      this.ctx.storage.kv.put('alarmAt', now + IDLE_TTL_MS);
      void this.ctx.storage.setAlarm(now + IDLE_TTL_MS);
    }
  }

  /** Ends the session; `release` tells its PrincipalSessions, unless that is who ended it. */
  async #destroy({ release = true } = {}): Promise<void> {
    const binding = this.#binding ?? this.ctx.storage.kv.get<Binding>('binding');
    await this.#transport?.close().catch(() => {});
    this.#transport = undefined;
    this.#binding = undefined;
    this.#spec = undefined;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    if (release && binding) {
      await (
        await this.#principalSessions(binding)
      )
        .release(binding.sessionId)
        .catch((err: Error) => {
          console.error('session release failed', { name: err.name, message: err.message });
        });
    }
  }
}
