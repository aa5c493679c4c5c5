// api_keys: `moat_sk_<52 base32 chars>` (256 bits). Only SHA-256 of the whole key is stored; the
// prefix (first 12 characters) identifies it in lists.
import type { User } from '../../../../lib/db/schema';
import { sha256Hex } from '../../../../lib/crypto/hash';
import { newId, randomToken } from '../../../../lib/ids';
import { type AuditInput, auditStatement } from './audit';
import { clientIdsOfKey, revokeClientsStatements } from './machine-clients';
import { toUser } from './users';

export const API_KEY_PREFIX = 'moat_sk_';
const SHOWN_PREFIX_LENGTH = 12;
/** last_used_at is written at most this often per key. */
const TOUCH_EVERY_MS = 60 * 1000;

export type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  createdAt: number;
  lastUsedAt: number | null;
};

type Audit = Omit<AuditInput, 'action' | 'resource' | 'orgId' | 'actor'>;

export async function createApiKey(
  db: D1Database,
  input: { orgId: string; userId: string; name: string },
  audit: Audit,
  now = Date.now(),
): Promise<ApiKeyView & { key: string }> {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const view: ApiKeyView = {
    id: newId('key'),
    name: input.name,
    prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
    userId: input.userId,
    createdAt: now,
    lastUsedAt: null,
  };
  await db.batch([
    db
      .prepare(
        `INSERT INTO api_keys (id, org_id, user_id, name, prefix, key_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(view.id, input.orgId, input.userId, view.name, view.prefix, await sha256Hex(key), now),
    auditStatement(db, {
      ...audit,
      now,
      orgId: input.orgId,
      actor: input.userId,
      action: 'api_key.created',
      resource: view.id,
      metadata: { name: view.name, prefix: view.prefix },
    }),
  ]);
  return { ...view, key };
}

type KeyRow = {
  id: string;
  name: string;
  prefix: string;
  user_id: string;
  created_at: number;
  last_used_at: number | null;
};
const toView = (r: KeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  userId: r.user_id,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/** Active (unrevoked) keys of an org, newest first. */
export async function listApiKeys(db: D1Database, orgId: string): Promise<ApiKeyView[]> {
  const { results } = await db
    .prepare(
      `SELECT id, name, prefix, user_id, created_at, last_used_at FROM api_keys
       WHERE org_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id DESC`,
    )
    .bind(orgId)
    .all<KeyRow>();
  return results.map(toView);
}

export async function findApiKey(
  db: D1Database,
  orgId: string,
  id: string,
): Promise<ApiKeyView | undefined> {
  const r = await db
    .prepare(
      `SELECT id, name, prefix, user_id, created_at, last_used_at FROM api_keys
       WHERE org_id = ? AND id = ? AND revoked_at IS NULL`,
    )
    .bind(orgId, id)
    .first<KeyRow>();
  return r ? toView(r) : undefined;
}

/**
 * Revokes a key, and with it the clients it registered (store/machine-clients.ts): they can no
 * longer authenticate and `{clientId}` rules stop their access tokens at the runner; `ttlMs` is
 * the rules' life (access-token TTL plus leeway). False when no active key of that org has this
 * id (or, with `userId`, none of that user's).
 */
export async function revokeApiKey(
  db: D1Database,
  input: { orgId: string; id: string; actor: string; userId?: string; ttlMs: number },
  audit: Audit,
  now = Date.now(),
): Promise<boolean> {
  const clients = await clientIdsOfKey(db, input.orgId, input.id);
  const [res] = await db.batch([
    db
      .prepare(
        `UPDATE api_keys SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL
         AND (?4 IS NULL OR user_id = ?4)`,
      )
      .bind(now, input.orgId, input.id, input.userId ?? null),
    auditStatement(
      db,
      {
        ...audit,
        now,
        orgId: input.orgId,
        actor: input.actor,
        action: 'api_key.revoked',
        resource: input.id,
        ...(clients.length > 0 ? { metadata: { revoked_clients: clients } } : {}),
      },
      'changed',
    ),
    ...revokeClientsStatements(
      db,
      { orgId: input.orgId, apiKeyId: input.id },
      'api_key_revoked',
      now,
      input.ttlMs,
    ),
  ]);
  return (res?.meta.changes ?? 0) > 0;
}

/**
 * The key's owner and org when the key is active and its user is still a member of the org.
 * Refreshes last_used_at (throttled).
 */
export async function authenticateApiKey(
  db: D1Database,
  key: string,
  now = Date.now(),
): Promise<{ user: User; apiKeyId: string; orgId: string } | undefined> {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const row = await db
    .prepare(
      `SELECT k.id AS key_id, k.org_id, k.last_used_at, u.* FROM api_keys k
       JOIN users u ON u.id = k.user_id
       JOIN members m ON m.org_id = k.org_id AND m.user_id = k.user_id
       WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
    )
    .bind(await sha256Hex(key))
    .first<Record<string, string | number | null>>();
  if (!row) return undefined;
  const lastUsed = row.last_used_at as number | null;
  if (lastUsed === null || now - lastUsed > TOUCH_EVERY_MS) {
    await db
      .prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?')
      .bind(now, row.key_id)
      .run();
  }
  return {
    user: toUser(row as Parameters<typeof toUser>[0]),
    apiKeyId: row.key_id as string,
    orgId: row.org_id as string,
  };
}
