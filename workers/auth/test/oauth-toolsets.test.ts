// Toolsets as resources (issue 14, RFC 8707): a resource indicator naming
// `{RUNNER_ORIGIN}/{slug}/{toolset}/mcp` gets a token whose `aud` is that URL and whose scopes are
// only the toolset's tools'; the server id stays the server's, so its revocation rules reach it.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConnectedAppListSchema } from '../../../lib/api/grants';
import { api, signUp } from './support/accounts';
import { expectShape } from './support/contract';
import { getPublishedSpec, publishVersionStatements } from '../src/store/servers';
import { ccToken, machineClient } from './support/machine-clients';
import {
  authorize,
  authorizeUrl,
  exchangeCode,
  getAuthorize,
  hostServer,
  pkce,
  refresh,
  register,
  RUNNER_ORIGIN,
  verifyWithJwks,
  type TokenBody,
} from './support/oauth-client';

const READER = [{ name: 'reader', title: 'Reader', tools: ['tool_0'] }];

/** tool_0 reads, tool_1 writes, tool_2 administers; the `reader` toolset has only tool_0. */
async function serverWithToolset() {
  const alice = await signUp();
  const server = await hostServer(alice, {
    scopes: [['mcp:read'], ['mcp:write'], ['mcp:admin']],
    toolsets: READER,
  });
  return { alice, server, toolset: `${RUNNER_ORIGIN}/${server.slug}/reader/mcp` };
}

async function authorizeError(
  user: Awaited<ReturnType<typeof signUp>>,
  resource: string,
  scope?: string,
) {
  const client = await register();
  const { challenge } = await pkce();
  const res = await getAuthorize(authorizeUrl({ client, resource, scope, challenge }), user);
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams.get('error');
}

describe('a resource indicator naming a toolset', () => {
  it("issues a token whose aud is the toolset URL and whose scope is only the toolset's", async () => {
    const { alice, server, toolset } = await serverWithToolset();
    const client = await register();
    // A variant of the URL (no /mcp) is canonicalized like a server's (RFC 8707 §2).
    const got = await authorize({ client, user: alice, resource: toolset.replace(/\/mcp$/, '') });
    const body = await (await exchangeCode({ client, ...got })).json<TokenBody>();
    expect(body.scope).toBe('mcp:read');
    const { payload } = await verifyWithJwks(body.access_token);
    expect(payload).toMatchObject({ aud: toolset, server_id: server.id, scope: 'mcp:read' });

    const refreshed = await (
      await refresh({ client, refreshToken: body.refresh_token! })
    ).json<TokenBody>();
    expect((await verifyWithJwks(refreshed.access_token)).payload.aud).toBe(toolset);
  });

  it("refuses a scope outside the toolset's tools with invalid_scope", async () => {
    const { alice, toolset } = await serverWithToolset();
    expect(await authorizeError(alice, toolset, 'mcp:read mcp:admin')).toBe('invalid_scope');
  });

  it('refuses a toolset the server does not have, or that belongs to another server', async () => {
    const { alice, server } = await serverWithToolset();
    const other = await hostServer(alice);
    const page = await getAuthorize(
      authorizeUrl({
        client: await register(),
        resource: `${RUNNER_ORIGIN}/${server.slug}/billing/mcp`,
        challenge: (await pkce()).challenge,
      }),
      alice,
    );
    expect([page.status, new URL(page.headers.get('location')!).searchParams.get('error')]).toEqual(
      [302, 'invalid_target'],
    );
    expect(await authorizeError(alice, `${RUNNER_ORIGIN}/${other.slug}/reader/mcp`)).toBe(
      'invalid_target',
    );
  });

  it('shows the toolset on the consent page and does not remember it for the whole server', async () => {
    const { alice, server, toolset } = await serverWithToolset();
    const client = await register();
    const { challenge } = await pkce();
    const page = await getAuthorize(authorizeUrl({ client, resource: toolset, challenge }), alice);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Server ${server.slug} · Reader`);

    await authorize({ client, user: alice, resource: toolset, scope: 'mcp:read' });
    const full = await getAuthorize(
      authorizeUrl({ client, resource: server.resource, scope: 'mcp:read', challenge }),
      alice,
    );
    expect(full.status).toBe(200); // the consent page again, not a code
  });

  it('lists the grant with its toolset among connected apps', async () => {
    const { alice, toolset } = await serverWithToolset();
    const client = await register();
    await exchangeCode({
      client,
      ...(await authorize({ client, user: alice, resource: toolset })),
    });
    const body = expectShape(
      ConnectedAppListSchema,
      await (await api('/v1/me/grants', { as: alice })).json(),
    );
    expect(body.grants[0]).toMatchObject({ resource: toolset, toolset: 'reader' });
  });
});

describe('client_credentials for a toolset', () => {
  it("issues a machine token for the toolset URL with only the toolset's scopes", async () => {
    const { alice, server, toolset } = await serverWithToolset();
    const { client } = await machineClient(alice);
    const res = await ccToken(client, { resource: toolset, scope: 'mcp:read' });
    expect(res.status).toBe(200);
    const { payload } = await verifyWithJwks((await res.json<TokenBody>()).access_token);
    expect(payload).toMatchObject({ aud: toolset, server_id: server.id, scope: 'mcp:read' });
    const wider = await ccToken(client, { resource: toolset, scope: 'mcp:write' });
    expect(wider.status).toBe(400);
    expect(await wider.json()).toMatchObject({ error: 'invalid_scope' });
  });
});

/** Publishes the next version of the server with these toolsets (none: the key is absent). */
async function republish(serverId: string, createdBy: string, toolsets?: typeof READER) {
  const published = (await getPublishedSpec(env.DB, serverId))!;
  const { toolsets: _old, ...rest } = published.spec;
  await env.DB.batch(
    publishVersionStatements(env.DB, {
      serverId,
      version: published.version + 1,
      replaces: published.version,
      spec: toolsets ? { ...rest, toolsets } : rest,
      createdBy,
      now: Date.now(),
    }),
  );
}

describe('a toolset a later version removed', () => {
  it('refuses a refresh for it with invalid_target and keeps the grant for when it returns', async () => {
    const { alice, server, toolset } = await serverWithToolset();
    const client = await register();
    const got = await authorize({ client, user: alice, resource: toolset });
    const body = await (await exchangeCode({ client, ...got })).json<TokenBody>();

    await republish(server.id, alice.user.id);
    const refused = await refresh({ client, refreshToken: body.refresh_token! });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await refused.json()).toEqual({
      error: 'invalid_target',
      error_description: 'The server no longer publishes this toolset.',
    });

    // Neither spent nor revoked: once a version has the toolset again, the same token refreshes.
    await republish(server.id, alice.user.id, READER);
    const again = await refresh({ client, refreshToken: body.refresh_token! });
    expect(again.status).toBe(200);
    const { payload } = await verifyWithJwks((await again.json<TokenBody>()).access_token);
    expect(payload.aud).toBe(toolset);
  });

  it('refuses a code issued for it before the removal with invalid_target', async () => {
    const { alice, server, toolset } = await serverWithToolset();
    const client = await register();
    const got = await authorize({ client, user: alice, resource: toolset });
    await republish(server.id, alice.user.id);
    const res = await exchangeCode({ client, ...got });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_target' });
  });

  it('refuses client_credentials for it with invalid_target', async () => {
    const { alice, server, toolset } = await serverWithToolset();
    const { client } = await machineClient(alice);
    await republish(server.id, alice.user.id);
    const res = await ccToken(client, { resource: toolset, scope: 'mcp:read' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_target' });
  });

  it('still refreshes a grant for the whole server after a toolset is removed', async () => {
    const { alice, server } = await serverWithToolset();
    const client = await register();
    const got = await authorize({ client, user: alice, resource: server.resource });
    const body = await (await exchangeCode({ client, ...got })).json<TokenBody>();
    await republish(server.id, alice.user.id);
    expect((await refresh({ client, refreshToken: body.refresh_token! })).status).toBe(200);
  });
});
