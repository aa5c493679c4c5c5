// api_keys: `moat_sk_<52 base32 chars>` (256 bits). Only SHA-256 of the whole key is stored; the
// prefix (first 12 characters) identifies it in lists.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiKeys, members, type User, users } from '../../../../lib/db/schema';
import { sha256Hex } from '../../../../lib/crypto/hash';
import { newId, randomToken } from '../../../../lib/ids';
import { type AuditInput, auditStatement } from './audit';
import { clientIdsOfKey, revokeClientsStatements } from './machine-clients';
import { orm } from './orm';

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

const VIEW = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  userId: apiKeys.userId,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

/** Active (unrevoked) keys of an org, newest first. */
export async function listApiKeys(db: D1Database, orgId: string): Promise<ApiKeyView[]> {
  return orm(db)
    .select(VIEW)
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .all();
}

export async function findApiKey(
  db: D1Database,
  orgId: string,
  id: string,
): Promise<ApiKeyView | undefined> {
  return orm(db)
    .select(VIEW)
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .get();
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
  const row = await orm(db)
    .select({
      user: users,
      apiKeyId: apiKeys.id,
      orgId: apiKeys.orgId,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .innerJoin(members, and(eq(members.orgId, apiKeys.orgId), eq(members.userId, apiKeys.userId)))
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) return undefined;
  if (row.lastUsedAt === null || now - row.lastUsedAt > TOUCH_EVERY_MS) {
    await db
      .prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?')
      .bind(now, row.apiKeyId)
      .run();
  }
  return { user: row.user, apiKeyId: row.apiKeyId, orgId: row.orgId };
}
