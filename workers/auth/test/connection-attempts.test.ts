// GET /v1/servers/:id/connection-attempts: the connection recorder driven like a real MCP client —
// discovery at the runner and the AS, registration, the browser's authorize and consent, the code
// exchange and the first MCP request — and deliberately broken connections with their diagnoses.
import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import {
  ConnectionAttemptListSchema,
  type ConnectionAttempt,
} from '../../../lib/api/connection-attempts';
import { api, signUp, type SignedUp } from './support/accounts';
import { clientProcess } from './support/client-process';
import { expectShape } from './support/contract';
import {
  authorizeUrl,
  csrfFromPage,
  getAuthorize,
  hostServer,
  pkce,
  postConsent,
  runnerInitialize,
  ISSUER,
  REDIRECT_URI,
  type Client,
  type HostedServer,
  type TokenBody,
} from './support/oauth-client';

async function attemptsOf(
  owner: SignedUp,
  server: HostedServer,
  query = '',
): Promise<ConnectionAttempt[]> {
  const res = await api(`/v1/servers/${server.id}/connection-attempts${query}`, { as: owner });
  expect(res.status).toBe(200);
  return expectShape(ConnectionAttemptListSchema, await res.json()).attempts;
}

/** The recorder writes after the response: wait until `check` holds. */
function eventually<T>(
  owner: SignedUp,
  server: HostedServer,
  check: (a: ConnectionAttempt[]) => T,
) {
  return vi.waitFor(async () => check(await attemptsOf(owner, server)), { timeout: 5000 });
}

/** The browser's front channel up to the authorization code (consent approved). */
async function approve(user: SignedUp, client: Client, resource: string) {
  const { verifier, challenge } = await pkce();
  const url = authorizeUrl({ client, resource, challenge, state: 'secret-state-value' });
  const page = await getAuthorize(url, user);
  expect(page.status).toBe(200);
  const params = Object.fromEntries(new URL(url, ISSUER).searchParams);
  const res = await postConsent(
    { ...params, csrf_token: csrfFromPage(await page.text()), decision: 'approve' },
    user,
  );
  const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
  return { code, verifier };
}

describe('connection attempts', () => {
  it('records a successful attempt step by step through the first MCP request, nothing secret', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const proc = clientProcess();
    await proc.discover(server);
    const client = await proc.register();
    const { code, verifier } = await approve(owner, client, server.resource);
    const res = await proc.exchange(client, code, verifier);
    expect(res.status).toBe(200);
    const tokens = await res.json<TokenBody>();
    const init = await runnerInitialize(server.resource, tokens.access_token);
    expect(init.status).toBe(200);
    await init.text();

    const attempt = await eventually(owner, server, (list) => {
      const a = list.find((x) => x.clientId === client.client_id);
      expect(a?.outcome).toBe('succeeded');
      expect(a?.steps.some((s) => s.step === 'mcp_request')).toBe(true);
      expect(a?.steps.filter((s) => s.step === 'discovery')).toHaveLength(3);
      return a!;
    });
    expect([...new Set(attempt.steps.map((s) => s.step))]).toEqual([
      'discovery',
      'registration',
      'authorize',
      'consent',
      'token',
      'mcp_request',
    ]);
    expect(attempt.clientName).toBe('Recorder Test Client');
    expect(attempt.failedStep).toBeUndefined();
    const { results } = await env.DB.prepare(
      'SELECT detail, requester FROM connection_events WHERE client_id = ? OR server_id = ?',
    )
      .bind(client.client_id, server.id)
      .all<{ detail: string; requester: string }>();
    const stored = JSON.stringify(results);
    for (const secret of [
      code,
      verifier,
      tokens.access_token,
      tokens.refresh_token!,
      'secret-state-value',
      proc.headers['user-agent'],
      proc.headers['cf-connecting-ip'],
    ]) {
      expect(stored).not.toContain(secret);
    }
  });

  it('diagnoses a wrong resource with what was sent and what this server expects', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const proc = clientProcess();
    await proc.discover(server);
    const client = await proc.register();
    const { challenge } = await pkce();
    const wrong = 'https://mcp.elsewhere.example/mcp';
    const res = await getAuthorize(authorizeUrl({ client, resource: wrong, challenge }), owner);
    expect(res.status).toBe(302);
    const a = await eventually(owner, server, (list) => {
      const found = list.find((x) => x.clientId === client.client_id && x.outcome === 'failed');
      expect(found).toBeDefined();
      return found!;
    });
    expect(a.failedStep).toBe('authorize');
    expect(a.diagnosis?.code).toBe('resource_mismatch');
    expect(a.diagnosis?.message).toContain(wrong);
    expect(a.diagnosis?.message).toContain(server.resource);
  });

  it('diagnoses a redirect URI the client never registered', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const proc = clientProcess();
    await proc.discover(server);
    const client = await proc.register();
    const { challenge } = await pkce();
    const unregistered = 'http://evil.example/callback';
    const url = authorizeUrl({
      client,
      resource: server.resource,
      challenge,
      redirectUri: unregistered,
    });
    expect((await getAuthorize(url, owner)).status).toBe(400);
    const a = await eventually(owner, server, (list) => {
      const found = list.find((x) => x.diagnosis?.code === 'redirect_uri_not_registered');
      expect(found).toBeDefined();
      return found!;
    });
    expect(a.failedStep).toBe('authorize');
    expect(a.diagnosis!.message).toContain(unregistered);
    expect(a.diagnosis!.message).toContain(REDIRECT_URI);
  });

  it('diagnoses a request without PKCE and a denied consent', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const proc = clientProcess();
    const client = await proc.register();
    const noPkce = `/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      resource: server.resource,
      state: 's',
    })}`;
    await (await getAuthorize(noPkce, owner)).text();
    const other = await proc.register();
    const { challenge } = await pkce();
    const url = authorizeUrl({ client: other, resource: server.resource, challenge });
    const page = await getAuthorize(url, owner);
    const params = Object.fromEntries(new URL(url, ISSUER).searchParams);
    await postConsent(
      { ...params, csrf_token: csrfFromPage(await page.text()), decision: 'deny' },
      owner,
    );
    const codes = await eventually(owner, server, (list) => {
      const found = list.map((x) => x.diagnosis?.code);
      expect(found).toContain('pkce_missing');
      expect(found).toContain('consent_denied');
      return list;
    });
    expect(codes.find((x) => x.diagnosis?.code === 'consent_denied')?.failedStep).toBe('consent');
    const failed = await attemptsOf(owner, server, '?outcome=failed');
    expect(failed.every((x) => x.outcome === 'failed')).toBe(true);
    expect(await attemptsOf(owner, server, '?outcome=succeeded')).toEqual([]);
  });

  it('deletes records older than 7 days when the attempts are listed', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const old = Date.now() - 8 * 86_400_000;
    await env.DB.prepare(
      `INSERT INTO connection_events (id, server_id, step, ok, detail, at)
       VALUES (?, ?, 'discovery', 1, '{}', ?)`,
    )
      .bind(`cev_old_${crypto.randomUUID()}`, server.id, old)
      .run();
    expect(await attemptsOf(owner, server)).toEqual([]);
    await vi.waitFor(async () => {
      const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM connection_events WHERE at <= ?')
        .bind(old)
        .first<{ n: number }>();
      expect(row?.n).toBe(0);
    });
  });

  it('refuses an unknown outcome filter with validation_failed', async () => {
    const owner = await signUp();
    const server = await hostServer(owner);
    const res = await api(`/v1/servers/${server.id}/connection-attempts?outcome=maybe`, {
      as: owner,
    });
    expect(res.status).toBe(422);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('validation_failed');
  });
});
