// ConnectionRefresh: one Durable Object per user connection (named by its id), so a refresh
// happens once however many tool calls, sessions and isolates find the token expiring at the same
// moment (issue 13). Calls queue here; each re-reads the row, and only the first still finds it
// expiring and asks the provider (RFC 6749 §6). The rotated pair is stored with a compare-and-set
// on `generation` (store/connections.ts), so even a write racing this object cannot be lost.
import { DurableObject } from 'cloudflare:workers';
import type { Connection } from '../../../../lib/spec/connections';
import {
  findConnectionById,
  markReconnectNeeded,
  storeRefreshedPair,
  type ConnectionRow,
} from '../store/connections';
import { openSecrets } from '../store/secrets';
import { refreshAtProvider } from './provider-token';
import { openTokenPair, sealTokenPair } from '../../../../lib/connections/tokens';

/** A token this close to `access_expires_at` is refreshed before it is used. */
export const REFRESH_SKEW_MS = 60_000;

export type RefreshOutcome =
  | { status: 'active' }
  | { status: 'reconnect_needed'; reason: string }
  | { status: 'unavailable'; reason: string };

export function needsRefresh(row: Pick<ConnectionRow, 'accessExpiresAt'>, now = Date.now()) {
  return row.accessExpiresAt !== null && row.accessExpiresAt - REFRESH_SKEW_MS <= now;
}

export class ConnectionRefresh extends DurableObject<Env> {
  #queue: Promise<unknown> = Promise.resolve();

  /** RPC from a tool call: make the connection's stored access token fresh, or say why not. */
  refresh(connectionId: string, connection: Connection): Promise<RefreshOutcome> {
    const run = this.#queue.then(() => this.#refresh(connectionId, connection));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #refresh(id: string, connection: Connection): Promise<RefreshOutcome> {
    const row = await findConnectionById(this.env.DB, id);
    if (!row) return { status: 'reconnect_needed', reason: 'the connection was removed' };
    if (row.status !== 'active') {
      return { status: 'reconnect_needed', reason: row.statusReason ?? `it is ${row.status}` };
    }
    if (!needsRefresh(row)) return { status: 'active' };
    const key = { serverId: row.serverId, userId: row.userId, name: row.name };
    const pair = await openTokenPair(this.env.MASTER_KEY, key, row);
    if (!pair.refresh_token) {
      if (row.accessExpiresAt! > Date.now()) return { status: 'active' };
      const reason = 'the access token expired and the provider gave no refresh token';
      await markReconnectNeeded(this.env.DB, id, row.generation, reason);
      return { status: 'reconnect_needed', reason };
    }
    const secretName = connection.clientSecret;
    const clientSecret = secretName
      ? (await openSecrets(this.env.DB, this.env.MASTER_KEY, row.serverId, [secretName])).get(
          secretName,
        )
      : undefined;
    if (secretName && clientSecret === undefined) {
      return { status: 'unavailable', reason: `the server secret ${secretName} is not set` };
    }
    const answer = await refreshAtProvider(connection, pair.refresh_token, clientSecret, {
      allowPrivate: this.env.ALLOW_PRIVATE_EGRESS === '1',
    });
    if (!answer.ok) {
      if (answer.kind === 'invalid_grant') {
        await markReconnectNeeded(this.env.DB, id, row.generation, answer.reason);
        return { status: 'reconnect_needed', reason: answer.reason };
      }
      // A token not yet expired still works while the provider is down.
      if (row.accessExpiresAt! > Date.now()) return { status: 'active' };
      return { status: 'unavailable', reason: answer.reason };
    }
    const t = answer.tokens;
    const now = Date.now();
    const sealed = await sealTokenPair(this.env.MASTER_KEY, key, {
      access_token: t.access_token,
      // RFC 6749 §6: a provider that does not rotate keeps the old refresh token valid.
      refresh_token: t.refresh_token ?? pair.refresh_token,
      token_type: t.token_type,
    });
    const expiresAt = t.expires_in !== undefined ? now + t.expires_in * 1000 : null;
    const won = await storeRefreshedPair(
      this.env.DB,
      id,
      row.generation,
      sealed,
      expiresAt,
      t.scope ?? null,
      now,
    );
    // Lost the compare-and-set: someone relinked or removed it meanwhile; their row stands.
    return won ? { status: 'active' } : this.#afterLostWrite(id);
  }

  async #afterLostWrite(id: string): Promise<RefreshOutcome> {
    const row = await findConnectionById(this.env.DB, id);
    if (row?.status === 'active') return { status: 'active' };
    return { status: 'reconnect_needed', reason: row?.statusReason ?? 'the connection changed' };
  }
}
