// Moat in `npm run bench:peers`: the platform as `npm start` runs it (scripts/bench/platform.mjs),
// an owner, a hosted server whose one tool calls the local API with a secret header, a
// client_credentials client and a public authorization_code + PKCE client with one refresh chain
// per connection.
import { URLSearchParams } from 'node:url';
import {
  createOwner,
  form,
  json,
  mintCode,
  must,
  redeemCode,
  registerClients,
} from '../accounts.mjs';
import { mcpHeaders, openMcpSession } from '../mcp-session.mjs';
import { startPlatform } from '../platform.mjs';
import { refreshChains } from './chains.mjs';
import { drain, workerdPids } from './load.mjs';

/** `platform`: options for startPlatform (another checkout, an inspector port). */
export async function startMoat({ api, chains: chainCount, platform: options }) {
  const platform = await startPlatform(options);
  const { issuer } = platform;
  try {
    const {
      cookie,
      api: ownerApi,
      key,
      server,
    } = await createOwner(issuer, {
      name: 'peers',
      server: {
        name: 'Peers',
        visibility: 'private',
        secrets: [{ name: 'API_KEY' }],
        egress: ['127.0.0.1'],
        tools: [
          {
            name: 'get_forecast',
            description: 'Forecast',
            inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
            annotations: { readOnlyHint: true },
            http: {
              method: 'GET',
              url: `${api.origin}/forecast?city={city}`,
              headers: { 'X-Api-Key': '{{secrets.API_KEY}}' },
            },
          },
        ],
      },
    });
    await must(
      await ownerApi('PUT', `/v1/servers/${server.id}/secrets/API_KEY`, { value: api.secret }),
      200,
      'secret',
    );
    const { machine, app } = await registerClients(issuer, { key, name: 'peers' });
    const mint = () => mintCode(issuer, { app, cookie, resource: server.url });
    const redeem = (minted) => redeemCode(issuer, { app }, minted);
    const first = [];
    for (let i = 0; i < chainCount; i++)
      first.push((await json(await redeem(await mint()), 200, 'exchange')).refresh_token);
    const chains = refreshChains(first);

    const basic = `Basic ${Buffer.from(`${machine.client_id}:${machine.client_secret}`).toString('base64')}`;
    const ccBody = new URLSearchParams({
      grant_type: 'client_credentials',
      resource: server.url,
      scope: 'mcp:read',
    }).toString();
    const cc = () =>
      fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
        body: ccBody,
      });
    const { access_token: accessToken } = await json(await cc(), 200, 'client_credentials');

    // MCP sessions opened before measuring: one per connection up to the runner's limit per
    // principal (MAX_SESSIONS_PER_PRINCIPAL, 16); past it connections share them.
    const sessions = [];
    for (let i = 0; i < Math.min(chainCount, 16); i++) {
      sessions.push(await openMcpSession(server.url, accessToken, 'bench-peers'));
    }
    // JSON-RPC ids unique per session while in flight (connections may share a session).
    let nextId = 1;
    const toolCall = (token, conn) =>
      fetch(server.url, {
        method: 'POST',
        headers: mcpHeaders(token, sessions[conn % sessions.length]),
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: nextId++,
          method: 'tools/call',
          params: { name: 'get_forecast', arguments: { city: 'Oslo' } },
        }),
      });
    const toolList = (conn) =>
      fetch(server.url, {
        method: 'POST',
        headers: mcpHeaders(accessToken, sessions[conn % sessions.length]),
        body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method: 'tools/list' }),
      });
    const check = await (await toolCall(accessToken, 0)).text();
    if (!check.includes('\\"ok\\":true'))
      throw new Error(`moat tools/call: ${check.slice(0, 300)}`);

    let codes = [];
    return {
      name: 'moat',
      pids: workerdPids(platform.pid),
      phases: {
        client_credentials: () => cc().then(drain),
        refresh_token: (conn) =>
          chains.rotate(conn, async (token) => {
            const r = await fetch(
              `${issuer}/token`,
              form({ grant_type: 'refresh_token', client_id: app.client_id, refresh_token: token }),
            );
            const body = await r.json().catch(() => ({}));
            return { status: r.status, refreshToken: body.refresh_token };
          }),
        authorization_code: () => redeem(codes.pop()).then(drain),
        'tools/call': (conn) => toolCall(accessToken, conn).then(drain),
        'tools/list': (conn) => toolList(conn).then(drain),
        'invalid token': (conn) => toolCall('not-a-valid-token', conn).then(drain),
      },
      async prepare(phase, n) {
        if (phase === 'authorization_code') {
          codes = [];
          for (let i = 0; i < n; i++) codes.push(await mint());
        }
      },
      async replay() {
        const token = chains.rotated();
        const r = await fetch(
          `${issuer}/token`,
          form({ grant_type: 'refresh_token', client_id: app.client_id, refresh_token: token }),
        );
        await r.arrayBuffer();
        return r.status;
      },
      chains,
      platform,
      stop: () => platform.stop(),
    };
  } catch (err) {
    await platform.stop();
    throw err;
  }
}
