// Machine clients (client_credentials) for tests, through the real routes:
//   const { client, key } = await machineClient(alice);          // registered with a new API key
//   const res = await ccToken(client, { resource: server.resource, scope: 'mcp:read' });
//   const bob = await joinOrg(alice, await signUp());               // Bob acts in Alice's org
import { expect } from 'vitest';
import { api, createApiKey, type CreatedApiKey, type SignedUp } from './accounts';
import { registerRaw, tokenRequest, type Client } from './oauth-client';

const MACHINE = {
  client_name: 'Nightly job',
  grant_types: ['client_credentials'],
  token_endpoint_auth_method: 'client_secret_basic',
};

/** A confidential client_credentials client registered with a fresh API key of `owner`. */
export async function machineClient(
  owner: SignedUp,
  opts: { orgId?: string; metadata?: Record<string, unknown> } = {},
): Promise<{ client: Client; key: CreatedApiKey }> {
  const key = opts.orgId ? await apiKeyIn(owner, opts.orgId) : await createApiKey(owner);
  const metadata = opts.metadata ?? {};
  const res = await registerRaw({ ...MACHINE, ...metadata }, { key: key.key });
  expect(res.status).toBe(201);
  return { client: await res.json<Client>(), key };
}

/** A client_credentials client registered from `owner`'s session (bound to no key). */
export async function sessionMachineClient(owner: SignedUp, orgId = owner.orgId): Promise<Client> {
  const res = await registerRaw(MACHINE, {
    headers: { cookie: owner.cookie, 'x-moat-org': orgId },
  });
  expect(res.status).toBe(201);
  return res.json<Client>();
}

/** An API key of `owner` for the org `orgId` (a member acting in another org than their own). */
export async function apiKeyIn(owner: SignedUp, orgId: string): Promise<CreatedApiKey> {
  const res = await api('/v1/api-keys', {
    as: owner,
    headers: { 'x-moat-org': orgId },
    body: { name: 'org key' },
  });
  expect(res.status).toBe(201);
  return res.json<CreatedApiKey>();
}

export function ccToken(client: Client, params: Record<string, string | undefined>) {
  return tokenRequest(
    { grant_type: 'client_credentials', ...params },
    { basic: [client.client_id, client.client_secret!] },
  );
}

type Invite = { url: string };

/** `member` joins `owner`'s org with `role` through a real invite. */
export async function joinOrg(
  owner: SignedUp,
  member: SignedUp,
  role: 'admin' | 'member' = 'member',
): Promise<void> {
  const invite = await api('/v1/me/org/invites', {
    as: owner,
    body: { email: member.email, role },
  });
  const { url } = await invite.json<Invite>();
  const token = url.split('/invite/')[1]!;
  const res = await api('/v1/invites/accept', { as: member, body: { token } });
  expect(res.status).toBe(200);
}
