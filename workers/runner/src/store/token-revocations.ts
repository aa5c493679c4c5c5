// The runner's read side of token_revocations (rules appended by the auth Worker,
// workers/auth/src/store/token-revocations.ts). Ids come from AUTOINCREMENT and D1 commits one
// write at a time, so a rule committed later always has a larger id: reading `id > lastId`
// never skips one.
import { asc, gt } from 'drizzle-orm';
import { orm } from '../../../../lib/db/orm';
import { tokenRevocations as t } from '../../../../lib/db/schema';
import type { RevocationRule } from '../../../../lib/tokens/revocation';

export type StoredRule = RevocationRule & { id: number };

const PAGE = 1000;

/** Every rule with an id above `afterId`, oldest first, read in pages of 1000. */
export async function rulesAfter(db: D1Database, afterId: number): Promise<StoredRule[]> {
  const rules: StoredRule[] = [];
  for (let after = afterId; ;) {
    const results = await orm(db)
      .select({
        id: t.id,
        serverId: t.serverId,
        orgId: t.orgId,
        sub: t.sub,
        clientId: t.clientId,
        grantId: t.grantId,
        issuedBefore: t.issuedBefore,
        expiresAt: t.expiresAt,
      })
      .from(t)
      .where(gt(t.id, after))
      .orderBy(asc(t.id))
      .limit(PAGE)
      .all();
    rules.push(...results);
    if (results.length < PAGE) return rules;
    after = results[results.length - 1]!.id;
  }
}
