// The AS's real access tokens at the real runner (behind the RUNNER service binding): the
// contract in docs/architecture.md, end to end inside workerd.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signUp } from './support/accounts';
import { connect, hostServer, runnerInitialize } from './support/oauth-client';

describe('AS tokens at the runner', () => {
  it('opens a session with a token issued for the server', async () => {
    const alice = await signUp();
    const server = await hostServer(alice);
    const { tokens } = await connect(alice, server, { scope: 'mcp:read' });
    const res = await runnerInitialize(server.resource, tokens.access_token);
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toMatch(/^[a-z2-7]{32}$/);
    await res.text();
  });

  it('refuses a token issued for another server with 401 invalid_token', async () => {
    const alice = await signUp();
    const a = await hostServer(alice);
    const b = await hostServer(alice);
    const { tokens } = await connect(alice, a, { scope: 'mcp:read' });
    const res = await runnerInitialize(b.resource, tokens.access_token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${b.slug}/mcp", error="invalid_token", error_description="The access token is not valid for this server", scope="mcp:read mcp:write"`,
    );
  });
});
