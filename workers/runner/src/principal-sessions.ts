// PrincipalSessions: one Durable Object per (server, `sub`, `client_id`), holding the ids of that
// principal's live MCP sessions, oldest first. Each session stores its initialize request for up
// to 30 idle minutes, so their number is bounded: admitting one past the limit ends the oldest,
// whose client gets 404 and re-initializes (MCP 2025-11-25 transports §Session Management).
// Ending the oldest rather than refusing the newest means a client that lost its session ids
// (a crash, a restart) is never locked out. Called once per initialize and once per ended session.
import { DurableObject } from 'cloudflare:workers';
import { sessionName, type PrincipalKey } from './session-names';

export const MAX_SESSIONS_PER_PRINCIPAL = 16;

type Live = { id: string; createdAt: number }[];

export class PrincipalSessions extends DurableObject<Env> {
  /** Records a new session of `principal`; ends and returns the oldest ones past the limit. */
  async admit(principal: PrincipalKey, sessionId: string): Promise<string[]> {
    const live = this.#live().filter((s) => s.id !== sessionId);
    live.push({ id: sessionId, createdAt: Date.now() });
    const ended = live.splice(0, Math.max(0, live.length - MAX_SESSIONS_PER_PRINCIPAL));
    this.ctx.storage.kv.put('live', live);
    await Promise.all(
      ended.map(async ({ id }) => {
        const name = await sessionName(principal, id);
        await this.env.SESSIONS.get(this.env.SESSIONS.idFromName(name)).end(id);
      }),
    );
    return ended.map((s) => s.id);
  }

  /** Forgets a session that ended on its own (DELETE, idle expiry, a newer version). */
  async release(sessionId: string): Promise<void> {
    const live = this.#live().filter((s) => s.id !== sessionId);
    if (live.length > 0) this.ctx.storage.kv.put('live', live);
    else await this.ctx.storage.deleteAll();
  }

  #live(): Live {
    return this.ctx.storage.kv.get<Live>('live') ?? [];
  }
}
