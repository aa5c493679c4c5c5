// Revocation reaches the runner: the AS appends a rule to D1 token_revocations; the runner refuses
// matching tokens within its poll interval (1 s here, REVOCATION_POLL_SECONDS) and, after a quiet
// spell, on the first request past the hard bound (2 s here, REVOCATION_MAX_STALE_SECONDS).
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { isolateRevocations } from '../src/revocation-list';
import { callTool, initialize, mcpFetch, rpc } from './support/mcp';
import { publishServer, setSecret, uniqueSlug, weatherSpec, type Seeded } from './support/servers';
import { throughBearerLink } from './support/bearer-link';
import { mintToken } from './support/tokens';

const MAX_STALE_MS = Number(env.REVOCATION_MAX_STALE_SECONDS) * 1000;

let slug: string;
let server: Seeded;

beforeAll(async () => {
  slug = uniqueSlug('revoke');
  server = await publishServer(weatherSpec(slug));
  await setSecret(server, 'API_KEY', 'sk_revoke_value');
});

let counter = 0;
const grantId = () => `gr_rev${Date.now().toString(36)}${(counter++).toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the AS writes beside the change that ends access (revocationStatement). */
async function revoke(rule: {
  grantId?: string;
  sub?: string;
  orgId?: string;
  serverId?: string;
}): Promise<void> {
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO token_revocations
       (server_id, org_id, sub, client_id, grant_id, issued_before, expires_at, reason, created_at)
     VALUES (?, ?, ?, NULL, ?, ?, ?, 'grant_revoked', ?)`,
  )
    .bind(
      rule.serverId ?? null,
      rule.orgId ?? null,
      rule.sub ?? null,
      rule.grantId ?? null,
      now,
      now + 3_660_000,
      now,
    )
    .run();
}

function expectRevoked(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe(
    `Bearer resource_metadata="${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${slug}/mcp", error="invalid_token", error_description="The access token is not valid for this server", scope="mcp:read"`,
  );
}

const ping = () => ({ jsonrpc: '2.0', id: 9, method: 'ping' });

/** Pings until the runner refuses the token; returns how long that took. */
async function msUntilRefused(token: string, sessionId: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    const res = await mcpFetch(slug, ping(), { token, sessionId });
    if (res.status === 401) {
      expectRevoked(res);
      return Date.now() - started;
    }
    expect(res.status).toBe(200);
    await res.text();
    if (Date.now() - started > 10_000) throw new Error('token still accepted after 10 s');
    await sleep(100);
  }
}

/** Reads an SSE stream until it ends; false if it is still open after `ms`. */
async function endsWithin(res: Response, ms: number): Promise<boolean> {
  const reader = res.body!.getReader();
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    const next = await Promise.race([reader.read(), sleep(Math.max(left, 0)).then(() => null)]);
    if (next === null) {
      await reader.cancel();
      return false;
    }
    if (next.done) return true;
  }
}

async function openStream(token: string, sessionId: string): Promise<Response> {
  const res = await mcpFetch(slug, undefined, {
    token,
    sessionId,
    method: 'GET',
    headers: { accept: 'text/event-stream' },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  return res;
}

describe('revocation at the runner', { timeout: 20_000 }, () => {
  it('refuses a revoked grant in its open session within the poll interval; other grants keep working', async () => {
    const id = grantId();
    const revoked = await mintToken(slug, { jti: `${id}.a` });
    const kept = await mintToken(slug, { jti: `${grantId()}.b` });
    const sessionId = await initialize(slug, revoked);
    const otherSession = await initialize(slug, kept);
    const before = await callTool(slug, revoked, sessionId, 'get_forecast', { city: 'Oslo' });
    expect(before.res.status).toBe(200);

    await revoke({ grantId: id });
    expect(await msUntilRefused(revoked, sessionId)).toBeLessThan(MAX_STALE_MS + 1000);
    const call = await callTool(slug, revoked, sessionId, 'get_forecast', { city: 'Oslo' });
    expectRevoked(call.res);

    const other = await callTool(slug, kept, otherSession, 'get_forecast', { city: 'Oslo' });
    expect(other.res.status).toBe(200);
    expect(other.message.result?.isError).toBeFalsy();
  });

  it('refuses the first request after a quiet spell longer than the hard bound', async () => {
    const sub = `usr_quiet${counter++}`;
    const token = await mintToken(slug, { sub });
    const sessionId = await initialize(slug, token); // the isolate's copy is fresh now
    await revoke({ sub, orgId: server.orgId }); // e.g. the member was removed from the org
    await sleep(MAX_STALE_MS + 300); // no request in between: no background refresh ran
    expectRevoked(await mcpFetch(slug, ping(), { token, sessionId }));
  });

  it('accepts a token issued after the revocation (the user signed in again)', async () => {
    const sub = `usr_again${counter++}`;
    const old = await mintToken(slug, { sub });
    const sessionId = await initialize(slug, old);
    await revoke({ sub, orgId: server.orgId });
    await msUntilRefused(old, sessionId);
    const fresh = await mintToken(slug, { sub, issuedAt: 2 });
    const res = await rpc(slug, fresh, await initialize(slug, fresh), 'ping');
    expect(res.res.status).toBe(200);
  });

  it("refuses every token of a deleted server's id, whoever holds it", async () => {
    const gone = uniqueSlug('revoke-gone');
    const s = await publishServer(weatherSpec(gone));
    const token = await mintToken(gone, { sub: 'usr_anyone' });
    expect((await rpc(gone, token, await initialize(gone, token), 'ping')).res.status).toBe(200);
    await revoke({ serverId: s.id });
    await sleep(MAX_STALE_MS + 300);
    const res = await mcpFetch(gone, ping(), { token, sessionId: 'a'.repeat(32) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('ends an open SSE stream when its token is revoked, and refuses to reopen it', async () => {
    const id = grantId();
    const token = await mintToken(slug, { jti: `${id}.s` });
    const sessionId = await initialize(slug, token);
    const stream = await openStream(token, sessionId);
    await revoke({ grantId: id });
    expect(await endsWithin(stream, MAX_STALE_MS + 3000)).toBe(true);
    expectRevoked(
      await mcpFetch(slug, undefined, {
        token,
        sessionId,
        method: 'GET',
        headers: { accept: 'text/event-stream' },
      }),
    );
  });

  it('ends an open SSE stream once its token expires (beyond the 30 s leeway)', async () => {
    // Expired 28 s ago: still inside the leeway for 2 more seconds.
    const token = await mintToken(slug, { expiresIn: -28 });
    const sessionId = await initialize(slug, token);
    const stream = await openStream(token, sessionId);
    expect(await endsWithin(stream, 6000)).toBe(true);
  });

  it('keeps an SSE stream of a valid token open', async () => {
    const token = await mintToken(slug);
    const sessionId = await initialize(slug, token);
    const stream = await openStream(token, sessionId);
    expect(await endsWithin(stream, MAX_STALE_MS + 500)).toBe(false);
  });

  it('answers 503 with Retry-After, not invalid_token, when the rules cannot be read in time', async () => {
    const token = await mintToken(slug);
    // This isolate's copy is older than the hard bound, and D1 fails (a database without tables).
    await isolateRevocations.refresh(env.DB, Date.now() - 60_000);
    const res = await throughBearerLink(slug, token, { DB: env.EMPTY_DB });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toMatchObject({ error: { code: -32000 } });
  });
});
