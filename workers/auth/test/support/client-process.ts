// One MCP client process as the connection recorder sees it: the same address and user agent on
// every request it sends (discovery at the runner and the AS, registration, the code exchange).
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { fetchAs, registerRaw, REDIRECT_URI, type Client, type HostedServer } from './oauth-client';

export function clientProcess() {
  const headers = {
    'cf-connecting-ip': `203.0.113.${Math.floor(Math.random() * 250) + 1}`,
    'user-agent': `recorder-test/${crypto.randomUUID()}`,
  };
  return {
    headers,
    async discover(server: HostedServer) {
      const slug = server.slug;
      const r1 = await env.RUNNER.fetch(server.resource, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' },
        body: '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}',
      });
      expect(r1.status).toBe(401);
      await r1.text();
      const prm = await env.RUNNER.fetch(
        `${new URL(server.resource).origin}/.well-known/oauth-protected-resource/${slug}/mcp`,
        { headers },
      );
      expect(prm.status).toBe(200);
      await prm.text();
      const asm = await fetchAs('/.well-known/oauth-authorization-server', { headers });
      expect(asm.status).toBe(200);
      await asm.text();
    },
    async register(metadata: Record<string, unknown> = {}): Promise<Client> {
      const res = await registerRaw(
        {
          client_name: 'Recorder Test Client',
          redirect_uris: [REDIRECT_URI],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
          ...metadata,
        },
        { headers },
      );
      expect(res.status).toBe(201);
      return res.json<Client>();
    },
    exchange(client: Client, code: string, verifier: string) {
      return fetchAs('/token', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: client.client_id,
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT_URI,
        }).toString(),
      });
    },
  };
}
