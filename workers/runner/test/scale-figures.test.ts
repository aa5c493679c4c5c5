// The figures docs/architecture.md "Past one database" is built on, kept true by a test: one
// tools/call appends exactly one audit row, and that row (with its three index entries) stays
// small. The row is written in waitUntil, after the response (call-audit.ts): off the call's
// latency path, but on the one D1 primary's write budget.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { callTool, initialize } from './support/mcp';
import { publishServer, setSecret, uniqueSlug, weatherSpec } from './support/servers';
import { mintToken } from './support/tokens';

const ROW_BYTES = `length(id) + 8 + length(coalesce(org_id, '')) + length(coalesce(actor, ''))
  + length(action) + length(coalesce(resource, '')) + length(coalesce(ip, ''))
  + length(coalesce(user_agent, '')) + length(coalesce(metadata, ''))`;

describe('what one tools/call costs the database', () => {
  it('appends exactly one audit row of under 600 bytes per call', async () => {
    const slug = uniqueSlug('scale');
    const server = await publishServer(weatherSpec(slug));
    await setSecret(server, 'API_KEY', 'sk_scale');
    const token = await mintToken(slug);
    const session = await initialize(slug, token);
    const rows = () =>
      env.DB.prepare(
        `SELECT COUNT(*) AS n, COALESCE(AVG(${ROW_BYTES}), 0) AS bytes FROM audit_events
         WHERE resource = ? AND action = 'tool.call'`,
      )
        .bind(server.id)
        .first<{ n: number; bytes: number }>();
    const CALLS = 5;
    for (let i = 0; i < CALLS; i++) {
      const { message } = await callTool(slug, token, session, 'get_forecast', { city: `S${i}` });
      expect(message.result?.isError).toBeUndefined();
    }
    let seen = await rows();
    for (let i = 0; i < 100 && seen!.n < CALLS; i++) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await rows();
    }
    expect(seen!.n).toBe(CALLS);
    console.log(`audit row for one tools/call: ${Math.round(seen!.bytes)} bytes of data`);
    expect(seen!.bytes).toBeLessThan(600);
  });
});
