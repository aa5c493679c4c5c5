// The lookups that revoke machine clients and their grants use an index, not a table scan
// (migrations/0004_indexes.sql).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

async function plan(sql: string): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind('a', 'b')
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join('\n');
}

describe('store indexes', () => {
  it("finds the clients an org's API key registered by index", async () => {
    expect(
      await plan('SELECT id FROM oauth_clients WHERE owner_org_id = ? AND owner_api_key_id = ?'),
    ).toContain('USING INDEX oauth_clients_owner_idx');
  });

  it('finds the grants of a client by index', async () => {
    expect(
      await plan(
        'SELECT id FROM grants WHERE client_id = ? AND revoked_at IS NULL AND ? IS NOT NULL',
      ),
    ).toContain('USING INDEX grants_client_idx');
  });
});
