// The runner's read side of token_revocations (rules appended by the auth Worker,
// workers/auth/src/store/token-revocations.ts). Ids come from AUTOINCREMENT and D1 commits one
// write at a time, so a rule committed later always has a larger id: reading `id > lastId`
// never skips one.
import type { TokenRevocation } from '../../../../lib/db/schema';
import type { RevocationRule } from '../../../../lib/tokens/revocation';

export type StoredRule = RevocationRule & Pick<TokenRevocation, 'id'>;

// Columns aliased to the schema's names, so rows are typed by it (docs/decisions.md "The runner's
// reads stay D1 SQL").
const COLUMNS =
  'id, server_id AS serverId, org_id AS orgId, sub, client_id AS clientId, grant_id AS grantId, ' +
  'issued_before AS issuedBefore, expires_at AS expiresAt';

const PAGE = 1000;

/** Every rule with an id above `afterId`, oldest first, read in pages of 1000. */
export async function rulesAfter(db: D1Database, afterId: number): Promise<StoredRule[]> {
  const rules: StoredRule[] = [];
  for (let after = afterId; ;) {
    const { results } = await db
      .prepare(`SELECT ${COLUMNS} FROM token_revocations WHERE id > ? ORDER BY id LIMIT ${PAGE}`)
      .bind(after)
      .all<StoredRule>();
    rules.push(...results);
    if (results.length < PAGE) return rules;
    after = results[results.length - 1]!.id;
  }
}
