// The caller's own downstream tokens for `{{connections.<name>.access_token}}` (issue 13): read
// from user_connections for (server, the principal's `sub`, name), refreshed first when they are
// about to expire (connection-refresh.ts), opened only here. A machine principal
// (client_credentials: `sub` is the client id, RFC 9068 §2.2) has no user and so no connection.
import { openTokenPair } from '../../../../lib/connections/tokens';
import { connectionConnectUrl } from '../../../../lib/connections/urls';
import type { Connection } from '../../../../lib/spec/connections';
import type { ServerSpec } from '../../../../lib/spec/server-spec';
import type { Principal } from '../bearer';
import { findConnections, touchConnections, type ConnectionRow } from '../store/connections';
import { needsRefresh, type RefreshOutcome } from './connection-refresh';

type ConnectionEnv = Pick<Env, 'DB' | 'MASTER_KEY' | 'ISSUER' | 'CONNECTION_REFRESH'>;

/** Why a tool could not get a connection's token; `url` is where the user links it again. */
export type ConnectionNeeded = {
  name: string;
  title: string;
  reason: 'machine' | 'missing' | 'revoked' | 'reconnect_needed' | 'unavailable';
  detail?: string;
  url?: string;
};

export type ResolvedConnections =
  | { ok: true; tokens: Map<string, string>; used: { name: string; id: string }[] }
  | { ok: false; needed: ConnectionNeeded };

export function isMachine(principal: Pick<Principal, 'sub' | 'clientId'>): boolean {
  return principal.sub === principal.clientId;
}

/** Asks the connection's one ConnectionRefresh object; a failure there fails only this call. */
async function refresh(env: ConnectionEnv, row: ConnectionRow, c: Connection) {
  const ns = env.CONNECTION_REFRESH;
  try {
    return (await ns.get(ns.idFromName(row.id)).refresh(row.id, c)) as RefreshOutcome;
  } catch (err) {
    console.error('connection refresh failed', { name: (err as Error).name, connection: row.id });
    return { status: 'unavailable', reason: 'the refresh failed' } satisfies RefreshOutcome;
  }
}

export async function resolveConnections(
  env: ConnectionEnv,
  spec: ServerSpec,
  serverId: string,
  principal: Pick<Principal, 'sub' | 'clientId'> | undefined,
  names: readonly string[],
  waitUntil: (p: Promise<unknown>) => void,
): Promise<ResolvedConnections> {
  const tokens = new Map<string, string>();
  if (names.length === 0) return { ok: true, tokens, used: [] };
  const declared = new Map((spec.connections ?? []).map((c) => [c.name, c]));
  const needed = (name: string, n: Omit<ConnectionNeeded, 'name' | 'title'>) => ({
    ok: false as const,
    needed: { name, title: declared.get(name)?.title ?? name, ...n },
  });
  if (!principal || isMachine(principal)) return needed(names[0]!, { reason: 'machine' });

  let rows = await findConnections(env.DB, serverId, principal.sub, names);
  for (const name of names) {
    const c = declared.get(name);
    const row = rows.get(name);
    const url = connectionConnectUrl(env.ISSUER, serverId, name);
    if (!c || !row) return needed(name, { reason: 'missing', url });
    if (row.status !== 'active') {
      const reason = row.status === 'revoked' ? 'revoked' : 'reconnect_needed';
      return needed(name, { reason, detail: row.statusReason ?? undefined, url });
    }
    if (needsRefresh(row)) {
      const outcome = await refresh(env, row, c);
      if (outcome.status === 'reconnect_needed') {
        return needed(name, { reason: 'reconnect_needed', detail: outcome.reason, url });
      }
      if (outcome.status === 'unavailable') {
        return needed(name, { reason: 'unavailable', detail: outcome.reason });
      }
      rows = await findConnections(env.DB, serverId, principal.sub, names);
    }
  }
  const used: { name: string; id: string }[] = [];
  for (const name of names) {
    const row = rows.get(name);
    const url = connectionConnectUrl(env.ISSUER, serverId, name);
    if (!row) return needed(name, { reason: 'missing', url });
    try {
      const key = { serverId, userId: principal.sub, name };
      tokens.set(name, (await openTokenPair(env.MASTER_KEY, key, row)).access_token);
    } catch (err) {
      // A row that does not open (moved, tampered, another master key): linking again fixes it.
      console.error('connection open failed', { name: (err as Error).name, connection: row.id });
      return needed(name, { reason: 'reconnect_needed', detail: 'it could not be read', url });
    }
    used.push({ name, id: row.id });
  }
  // last_used_at is bookkeeping: written off the response path, and never fails the call.
  waitUntil(
    touchConnections(
      env.DB,
      used.map((u) => u.id),
    ).catch(() => console.error('connection last_used_at write failed')),
  );
  return { ok: true, tokens, used };
}

/** The tool error's text: what is needed and, when a user can fix it, where. */
export function neededMessage(n: ConnectionNeeded): string {
  switch (n.reason) {
    case 'machine':
      return `This tool acts on the caller's own ${n.title} account, so it runs only for a signed-in user, not a machine client.`;
    case 'unavailable':
      return `Your ${n.title} connection could not be refreshed (${n.detail ?? 'the provider did not answer'}). Try again later.`;
    case 'missing':
      return `Connect your ${n.title} account to use this tool: ${n.url}`;
    case 'revoked':
      return `Your ${n.title} connection was revoked. Connect it again: ${n.url}`;
    case 'reconnect_needed':
      return `Your ${n.title} connection needs to be reconnected${n.detail ? ` (${n.detail})` : ''}: ${n.url}`;
  }
}
