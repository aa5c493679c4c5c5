// A machine client's access token, the README recipe: an API key registers a client_credentials
// client (RFC 7591, the key as initial access token), and the client asks for a token for one
// server (RFC 6749 §4.4, the server named by `resource` per RFC 8707).
import type { Platform } from './platform';

export async function machineToken(
  platform: Platform,
  apiKey: string,
  o: { clientName: string; mcpUrl: string; scope?: string },
): Promise<string> {
  const reg = await fetch(`${platform.issuer}/register`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: o.clientName,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
    }),
  });
  if (reg.status !== 201) throw new Error(`register answered ${reg.status}`);
  const client = (await reg.json()) as { client_id: string; client_secret: string };
  const tokenRes = await fetch(`${platform.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      resource: o.mcpUrl,
      scope: o.scope ?? 'mcp:read',
    }).toString(),
  });
  if (tokenRes.status !== 200) throw new Error(`token answered ${tokenRes.status}`);
  return ((await tokenRes.json()) as { access_token: string }).access_token;
}
