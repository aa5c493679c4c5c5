// Per-user connections end to end (issue 13): two people connect the MCP SDK client to the same
// hosted server; each passes Moat's consent, then the provider (a real oidc-provider), then back to
// their client; each tool call reaches the downstream API as that person; removing one person's
// connection stops only theirs, and their next call answers the reconnect link.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryOAuthProvider } from '../support/mcp-oauth';
import { approveWithConnections } from '../support/mcp-oauth-connections';
import { startProvider, type StartedProvider } from '../support/oauth-provider/index';
import { startPlatform, type Platform } from '../support/platform';

const PASSWORD = 'correct horse battery staple';

type Person = {
  email: string;
  password: string;
  providerLogin: string;
  headers: Record<string, string>;
};

let platform: Platform;
let provider: StartedProvider;
let serverId: string;
let mcpUrl: URL;
let alice: Person;
let bob: Person;

async function signUp(name: string): Promise<Person> {
  const email = `${name}-${Date.now()}@example.test`;
  const res = await fetch(`${platform.issuer}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(201);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return {
    email,
    password: PASSWORD,
    providerLogin: `${name}-at-notes`,
    headers: {
      cookie,
      origin: platform.issuer,
      'x-csrf-token': csrfToken,
      'content-type': 'application/json',
    },
  };
}

/** The MCP SDK client's whole first connection: 401, discovery, DCR, consent, provider, back. */
async function connect(person: Person) {
  const redirectUrl = 'http://127.0.0.1:53690/callback';
  const auth = new MemoryOAuthProvider(redirectUrl, `${person.providerLogin} client`);
  const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: auth });
  await expect(new Client({ name: 'e2e', version: '1' }).connect(first)).rejects.toBeInstanceOf(
    UnauthorizedError,
  );
  const approval = await approveWithConnections(
    auth.authorizationUrl!,
    person,
    redirectUrl,
    person.providerLogin,
  );
  await first.finishAuth(approval.code);
  const client = new Client({ name: 'e2e', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: auth }));
  return { client, approval };
}

async function whoAmI(client: Client) {
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  const text = (result.content as { type: string; text: string }[])[0]!.text;
  return { isError: result.isError === true, text };
}

beforeAll(async () => {
  platform = await startPlatform();
  provider = await startProvider({ moatIssuers: [platform.issuer] });
  alice = await signUp('alice');
  bob = await signUp('bob');
  const slug = `notes-conn-${Date.now().toString(36)}`;
  const created = await fetch(`${platform.issuer}/v1/servers`, {
    method: 'POST',
    headers: alice.headers,
    body: JSON.stringify({
      name: 'Notes Cloud',
      slug,
      visibility: 'public',
      secrets: [{ name: 'NOTES_CLIENT_SECRET' }],
      egress: ['127.0.0.1'],
      connections: [
        {
          name: 'notes',
          title: 'Notes Cloud',
          issuer: provider.issuer,
          scopes: ['notes:read'],
          clientId: provider.clientId,
          clientSecret: 'NOTES_CLIENT_SECRET',
        },
      ],
      tools: [
        {
          name: 'whoami',
          description: 'Who the Notes API thinks is calling',
          inputSchema: { type: 'object', properties: {} },
          annotations: { readOnlyHint: true },
          http: {
            method: 'GET',
            url: `${provider.downstreamOrigin}/whoami`,
            headers: { Authorization: 'Bearer {{connections.notes.access_token}}' },
          },
        },
      ],
    }),
  });
  expect(created.status).toBe(201);
  ({ id: serverId } = (await created.json()) as { id: string });
  mcpUrl = new URL(`${platform.runnerOrigin}/${slug}/mcp`);
  const put = await fetch(`${platform.issuer}/v1/servers/${serverId}/secrets/NOTES_CLIENT_SECRET`, {
    method: 'PUT',
    headers: alice.headers,
    body: JSON.stringify({ value: provider.clientSecret }),
  });
  expect(put.status).toBe(200);
});

afterAll(async () => {
  await platform?.stop();
  await provider?.close();
});

describe('per-user connections with the MCP SDK client', () => {
  let aliceClient: Client;
  let bobClient: Client;

  it("links each user's own provider account during authorization, and each call acts as that user", async () => {
    const a = await connect(alice);
    const b = await connect(bob);
    aliceClient = a.client;
    bobClient = b.client;
    for (const { approval } of [a, b]) {
      expect(approval.consentHtml).toContain('Notes Cloud');
      expect(approval.providerRequests).toHaveLength(1);
      const request = approval.providerRequests[0]!;
      expect(request.origin).toBe(provider.issuer);
      expect(request.searchParams.get('redirect_uri')).toBe(
        `${platform.issuer}/connections/callback`,
      );
      expect(request.searchParams.get('code_challenge_method')).toBe('S256');
      expect(request.searchParams.get('scope')).toBe('notes:read');
    }
    expect(provider.stats.bySub['alice-at-notes']?.codeGrants).toBe(1);
    expect(provider.stats.bySub['bob-at-notes']?.codeGrants).toBe(1);

    const asAlice = await whoAmI(aliceClient);
    const asBob = await whoAmI(bobClient);
    expect(asAlice.isError).toBe(false);
    expect(JSON.parse(asAlice.text)).toMatchObject({ sub: 'alice-at-notes', path: '/whoami' });
    expect(asBob.isError).toBe(false);
    expect(JSON.parse(asBob.text)).toMatchObject({ sub: 'bob-at-notes', path: '/whoami' });
    expect(provider.stats.downstreamRejected).toBe(0);
  });

  it("removing one user's connection stops only theirs: their next call answers the reconnect link", async () => {
    const listed = await fetch(`${platform.issuer}/v1/me/connections`, { headers: alice.headers });
    expect(listed.status).toBe(200);
    const { connections } = (await listed.json()) as {
      connections: { id: string; serverId: string; name: string; status: string }[];
    };
    const mine = connections.find((c) => c.serverId === serverId && c.name === 'notes');
    expect(mine).toMatchObject({ status: 'active' });
    expect(JSON.stringify(connections)).not.toMatch(/access_token|refresh_token/);

    const revocationsBefore = provider.stats.revocationRequests;
    const removed = await fetch(`${platform.issuer}/v1/me/connections/${mine!.id}`, {
      method: 'DELETE',
      headers: alice.headers,
    });
    expect(removed.status).toBe(204);
    // RFC 7009 at the provider, read from its metadata's revocation_endpoint.
    expect(provider.stats.revocationRequests).toBeGreaterThan(revocationsBefore);
    const after = (await (
      await fetch(`${platform.issuer}/v1/me/connections`, { headers: alice.headers })
    ).json()) as { connections: { serverId: string }[] };
    expect(after.connections.filter((c) => c.serverId === serverId)).toEqual([]);

    const downstreamCallsBefore = provider.stats.bySub['alice-at-notes']?.downstreamCalls;
    const asAlice = await whoAmI(aliceClient);
    expect(asAlice.isError).toBe(true);
    expect(asAlice.text).toContain(`${platform.issuer}/connections/${serverId}/notes/connect`);
    expect(provider.stats.bySub['alice-at-notes']?.downstreamCalls).toBe(downstreamCallsBefore);

    const asBob = await whoAmI(bobClient);
    expect(asBob.isError).toBe(false);
    expect(JSON.parse(asBob.text)).toMatchObject({ sub: 'bob-at-notes' });
    await aliceClient.close();
    await bobClient.close();
  });
});
