import { describe, expect, it } from 'vitest';
import { callTool, initialize, rpc } from './support/mcp';
import { mintToken } from './support/tokens';
import { publishServer, setSecret, uniqueSlug, weatherSpec } from './support/servers';

describe('MCP session basics', () => {
  it('initializes, lists tools and calls one that reaches the downstream API', async () => {
    const slug = uniqueSlug('smoke');
    const server = await publishServer(weatherSpec(slug));
    await setSecret(server, 'API_KEY', 'sk_test_smoke_123');
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const list = await rpc(slug, token, sessionId, 'tools/list');
    expect(list.message.result?.tools).toMatchObject([{ name: 'get_forecast' }]);
    const call = await callTool(slug, token, sessionId, 'get_forecast', { city: 'Paris' });
    expect(call.message.result).toMatchObject({ content: [{ type: 'text' }] });
    expect(JSON.stringify(call.message.result)).toContain('Paris');
  });
});
