// Per-user connections end to end across both Workers (issue 13): two users authorize the same
// hosted server, each linking their own account at the real provider (oidc-provider) through the
// AS, and each tool call at the real runner (RUNNER binding) reaches the downstream API as its
// own user — the auth Worker's stored pair and the runner's reading of it agree.
import { describe, expect, it } from 'vitest';
import { signUp, type SignedUp } from './support/accounts';
import {
  atProvider,
  callback,
  connectedServer,
  providerLogin,
  startAuthorization,
} from './support/connections';
import { exchangeCode, register, runnerInitialize, runnerRpc } from './support/oauth-client';
import type { CreatedServer } from './support/servers';

/** Consent, the provider's sign-in as `login`, the callback and the code exchange. */
async function accessTokenLinkedAs(user: SignedUp, server: CreatedServer, login: string) {
  const client = await register();
  const started = await startAuthorization(user, server, client);
  const back = await callback(await atProvider(started.location, login), user);
  const code = new URL(back.headers.get('location')!).searchParams.get('code');
  expect(code).toBeTruthy();
  const res = await exchangeCode({
    client,
    code: code!,
    verifier: started.verifier,
    resource: server.url,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function whoamiAtRunner(server: CreatedServer, token: string) {
  const init = await runnerInitialize(server.url, token);
  expect(init.status).toBe(200);
  const sessionId = init.headers.get('mcp-session-id')!;
  await init.text();
  await (
    await runnerRpc(
      server.url,
      token,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      sessionId,
    )
  ).text();
  const res = await runnerRpc(
    server.url,
    token,
    { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } },
    sessionId,
  );
  const data = (await res.text())
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map(
      (l) =>
        JSON.parse(l.slice(5)) as {
          id?: number;
          result?: { isError?: boolean; content: { text: string }[] };
        },
    )
    .find((m) => m.id === 2);
  return data!.result!;
}

describe('connections at the runner', { timeout: 60_000 }, () => {
  it('sends each user their own provider token: two users, one server, two identities downstream', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const server = await connectedServer(alice, { visibility: 'public' });
    const aliceLogin = providerLogin('alice');
    const bobLogin = providerLogin('bob');
    const aliceToken = await accessTokenLinkedAs(alice, server, aliceLogin);
    const bobToken = await accessTokenLinkedAs(bob, server, bobLogin);

    const asAlice = await whoamiAtRunner(server, aliceToken);
    const asBob = await whoamiAtRunner(server, bobToken);

    expect(asAlice.isError).toBeFalsy();
    expect(JSON.parse(asAlice.content[0]!.text)).toMatchObject({ sub: aliceLogin });
    expect(JSON.parse(asBob.content[0]!.text)).toMatchObject({ sub: bobLogin });
  });
});
