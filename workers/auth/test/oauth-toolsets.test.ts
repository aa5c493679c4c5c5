// Toolsets as resources (issue 14, RFC 8707): a resource indicator naming
// `{RUNNER_ORIGIN}/{slug}/{toolset}/mcp` gets a token whose `aud` is that URL and whose scopes are
// only the toolset's tools'; the server id stays the server's, so its revocation rules reach it.
import { describe, expect, it } from 'vitest';
import { ConnectedAppListSchema } from '../../../lib/api/grants';
import { api, signUp } from './support/accounts';
import { expectShape } from './support/contract';
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

/** tool_0 reads, tool_1 writes, tool_2 administers; the `reader` toolset has only tool_0. */
async function serverWithToolset() {
  const alice = await signUp();
  const server = await hostServer(alice, {
    scopes: [['mcp:read'], ['mcp:write'], ['mcp:admin']],
    toolsets: [{ name: 'reader', title: 'Reader', tools: ['tool_0'] }],
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
