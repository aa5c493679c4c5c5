// The accounts the auth, soak and heap benches (auth.mjs, soak.mjs, heap.mjs) run against, on a
// platform started by platform.mjs: an owner with an API key, a hosted server whose one tool calls
// `toolUrl`, a client_credentials client, and one authorization-code chain (refresh token + access
// token) per connection. The steps themselves are accounts.mjs's, shared with bench:peers.
import { createOwner, json, mintCode, redeemCode, registerClients } from './accounts.mjs';

export { form, must } from './accounts.mjs';
export { startPlatform } from './platform.mjs';

export async function setupOwner(issuer, { connections, toolUrl }) {
  const { cookie, key, server } = await createOwner(issuer, {
    name: 'bench',
    server: {
      name: 'Bench',
      visibility: 'private',
      egress: ['127.0.0.1'],
      tools: [
        {
          name: 'ping',
          description: 'Ping',
          inputSchema: { type: 'object', properties: {} },
          annotations: { readOnlyHint: true },
          http: { method: 'GET', url: toolUrl },
        },
      ],
    },
  });
  const { machine, app } = await registerClients(issuer, { key, name: 'bench' });

  // One refresh chain per connection: authorization code + PKCE through consent, then exchange.
  const chains = [];
  const accessTokens = [];
  for (let i = 0; i < connections; i++) {
    const minted = await mintCode(issuer, { app, cookie, resource: server.url });
    const tokens = await json(await redeemCode(issuer, { app }, minted), 200, 'exchange');
    chains.push(tokens.refresh_token);
    accessTokens.push(tokens.access_token);
  }
  return { server, machine, app, chains, accessTokens };
}
