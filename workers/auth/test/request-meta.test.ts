// One client-address rule for every surface (src/request-meta.ts): the control plane, the
// Authorization Server and the pages record the same address for the same headers.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, PASSWORD, uniqueEmail } from './support/accounts';
import { REDIRECT_URI, registerRaw } from './support/oauth-client';

const client = {
  client_name: 'Address check',
  redirect_uris: [REDIRECT_URI],
  token_endpoint_auth_method: 'none',
};

/** An address in a /64 of its own, spelled the long way round. */
function longIpv6(): { spelled: string; canonical: string } {
  const net = Math.floor(Math.random() * 0xffff).toString(16);
  return {
    spelled: `2001:0DB8:${net.toUpperCase()}:0:0:0:0:0007`,
    canonical: `2001:db8:${net}::7`,
  };
}

async function controlPlaneAddress(headers: Record<string, string>) {
  const res = await api('/v1/auth/signup', {
    body: { email: uniqueEmail('addr'), password: PASSWORD },
    headers,
  });
  expect(res.status).toBe(201);
  const { user } = await res.json<{ user: { id: string } }>();
  const row = await env.DB.prepare(
    "SELECT ip FROM audit_events WHERE action = 'user.signup' AND actor = ?",
  )
    .bind(user.id)
    .first<{ ip: string | null }>();
  return row?.ip;
}

async function authorizationServerAddress(headers: Record<string, string>) {
  const res = await registerRaw(client, { headers });
  expect(res.status).toBe(201);
  const { client_id } = await res.json<{ client_id: string }>();
  const row = await env.DB.prepare(
    "SELECT ip FROM audit_events WHERE action = 'oauth.client.registered' AND resource = ?",
  )
    .bind(client_id)
    .first<{ ip: string | null }>();
  return row?.ip;
}

describe('client address', () => {
  it('records the same canonical address on /v1 and on the AS for the same CF-Connecting-IP', async () => {
    const ip = longIpv6();
    const headers = { 'cf-connecting-ip': ip.spelled, 'x-real-ip': '198.51.100.1' };
    expect(await controlPlaneAddress(headers)).toBe(ip.canonical);
    expect(await authorizationServerAddress(headers)).toBe(ip.canonical);
  });

  it('falls back to X-Real-IP on both surfaces, an IPv4-mapped address as its IPv4 client', async () => {
    const n = Math.floor(Math.random() * 250);
    // registerRaw sends a CF-Connecting-IP of its own unless told otherwise.
    const headers = { 'cf-connecting-ip': '', 'x-real-ip': `::ffff:198.51.100.${n}` };
    expect(await controlPlaneAddress(headers)).toBe(`198.51.100.${n}`);
    expect(await authorizationServerAddress(headers)).toBe(`198.51.100.${n}`);
  });
});
