// The runner's read side of token_revocations (rules appended by the auth Worker,
// workers/auth/src/store/token-revocations.ts). Ids come from AUTOINCREMENT and D1 commits one
// write at a time, so a rule committed later always has a larger id: reading `id > lastId`
// never skips one.
import type { RevocationRule } from '../../../../lib/tokens/revocation';

export type StoredRule = RevocationRule & { id: number };

const PAGE = 1000;

type Row = {
  id: number;
  server_id: string | null;
  org_id: string | null;
  sub: string | null;
  client_id: string | null;
  grant_id: string | null;
  issued_before: number;
  expires_at: number;
};

/** Every rule with an id above `afterId`, oldest first, read in pages of 1000. */
export async function rulesAfter(db: D1Database, afterId: number): Promise<StoredRule[]> {
  const rules: StoredRule[] = [];
  for (let after = afterId; ;) {
    const { results } = await db
      .prepare(
        `SELECT id, server_id, org_id, sub, client_id, grant_id, issued_before, expires_at
           FROM token_revocations WHERE id > ? ORDER BY id LIMIT ${PAGE}`,
      )
      .bind(after)
      .all<Row>();
    for (const r of results) {
      rules.push({
        id: r.id,
        serverId: r.server_id,
        orgId: r.org_id,
        sub: r.sub,
        clientId: r.client_id,
        grantId: r.grant_id,
        issuedBefore: r.issued_before,
        expiresAt: r.expires_at,
      });
    }
    if (results.length < PAGE) return rules;
    after = results[results.length - 1]!.id;
  }
}
