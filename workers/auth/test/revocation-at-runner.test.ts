// Revocation reaches the runner (issue "Trust", DESIGN §9): the four events that end access —
// a revoked grant, a removed member, a revoked API key, a deleted server — each stop tool calls of
// already-issued access tokens at the real runner (behind the RUNNER binding), through the rules
// the AS appends and the runner polls. This config polls every 1 s (REVOCATION_POLL_SECONDS) with
// a 2 s hard bound; production's 10 s / 45 s keep the same mechanism under 60 s.
import { describe, expect, it } from 'vitest';
import { api, signUp } from './support/accounts';
import { ccToken, machineClient } from './support/machine-clients';
import {
  connect,
  hostServer,
  runnerInitialize,
  runnerRpc as rpc,
  type HostedServer,
} from './support/oauth-client';
import { hostServerBy, removeMember, team } from './support/teams';

/** Opens a session and answers the status of one `tools/call` in it, for as long as asked. */
async function openSession(server: HostedServer, token: string) {
  const init = await runnerInitialize(server.resource, token);
  expect(init.status).toBe(200);
  const sessionId = init.headers.get('mcp-session-id')!;
  await init.text();
  await (
    await rpc(
      server.resource,
      token,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      sessionId,
    )
  ).text();
  let id = 2;
  return async (): Promise<number> => {
    const res = await rpc(
      server.resource,
      token,
      { jsonrpc: '2.0', id: id++, method: 'tools/call', params: { name: 'tool_0', arguments: {} } },
      sessionId,
    );
    await res.text();
    return res.status;
  };
}

/** Milliseconds until `call` answers 401, or throws after `limitMs`. */
async function msUntilRefused(call: () => Promise<number>, limitMs = 15_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    const status = await call();
    if (status === 401) return Date.now() - start;
    expect(status).toBe(200);
    if (Date.now() - start > limitMs)
      throw new Error(`still answering ${status} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('revocation reaches the runner', () => {
  it('stops tool calls of a grant revoked from Connected apps', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { tokens } = await connect(alice, server, { scope: 'mcp:read' });
    const call = await openSession(server, tokens.access_token);
    expect(await call()).toBe(200);
    const grants = await (
      await api('/v1/me/grants', { as: alice })
    ).json<{
      grants: { id: string }[];
    }>();
    const del = await api(`/v1/me/grants/${grants.grants[0]!.id}`, { as: alice, method: 'DELETE' });
    expect(del.status).toBeLessThan(300);
    expect(await msUntilRefused(call)).toBeLessThan(60_000);
  });

  it('stops tool calls of a member removed from the org', async () => {
    const { alice, bob } = await team('member');
    const server = await hostServerBy(alice, alice, { visibility: 'org' });
    const { tokens } = await connect(bob, server, { scope: 'mcp:read' });
    const call = await openSession(server, tokens.access_token);
    expect(await call()).toBe(200);
    expect((await removeMember(alice, bob)).status).toBeLessThan(300);
    expect(await msUntilRefused(call)).toBeLessThan(60_000);
  });

  it('stops tool calls of a machine client whose API key is revoked', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { client, key } = await machineClient(alice);
    const res = await ccToken(client, { resource: server.resource, scope: 'mcp:read' });
    expect(res.status).toBe(200);
    const { access_token } = await res.json<{ access_token: string }>();
    const call = await openSession(server, access_token);
    expect(await call()).toBe(200);
    const del = await api(`/v1/api-keys/${key.id}`, { as: alice, method: 'DELETE' });
    expect(del.status).toBeLessThan(300);
    expect(await msUntilRefused(call)).toBeLessThan(60_000);
  });

  it('stops tool calls of a deleted server', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { tokens } = await connect(alice, server, { scope: 'mcp:read' });
    const call = await openSession(server, tokens.access_token);
    expect(await call()).toBe(200);
    const del = await api(`/v1/servers/${server.id}`, { as: alice, method: 'DELETE' });
    expect(del.status).toBeLessThan(300);
    // A deleted server's URL answers 404 once the runner's slug cache notices; until then the
    // {serverId} rule refuses its tokens. Either ends the calls.
    const start = Date.now();
    for (;;) {
      const status = await call();
      if (status === 401 || status === 404) break;
      expect(status).toBe(200);
      if (Date.now() - start > 15_000) throw new Error('still answering 200');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(Date.now() - start).toBeLessThan(60_000);
  });
});
