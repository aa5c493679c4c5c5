// A small OAuth provider and the API it protects, as real local HTTP servers for the runner's
// per-user connection tests (started by vitest.config.ts in Node). The token endpoint implements
// the refresh grant (RFC 6749 §6) with rotation: each refresh token works once, a reused or
// unknown one is `invalid_grant` (§5.2), and every refresh request is counted. The API answers
// only for access tokens this provider issued and reports whose token it saw.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export const PROVIDER_CLIENT_ID = 'moat-test-client';
export const PROVIDER_CLIENT_SECRET = 'provider-client-secret-4471';

type Issued = { user: string; family: string };

export async function startConnectionProvider(): Promise<{ origin: string; close: () => void }> {
  const access = new Map<string, Issued>();
  const refresh = new Map<string, Issued>();
  const refreshRequests = new Map<string, number>();
  let counter = 0;
  let origin = '';

  const issue = (user: string, family: string, expiresIn: number) => {
    const n = ++counter;
    const pair = { access_token: `at.${user}.${n}`, refresh_token: `rt.${user}.${n}` };
    access.set(pair.access_token, { user, family });
    refresh.set(pair.refresh_token, { user, family });
    return { ...pair, token_type: 'Bearer', expires_in: expiresIn, scope: 'repo' };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(value));
      };
      switch (url.pathname) {
        case '/.well-known/oauth-authorization-server':
          return json(200, {
            issuer: origin,
            authorization_endpoint: `${origin}/authorize`,
            token_endpoint: `${origin}/token`,
          });
        // Test control: what a completed authorization would have issued to `user`.
        case '/__grant': {
          const user = url.searchParams.get('user') ?? 'nobody';
          const family = url.searchParams.get('family') ?? user;
          return json(200, issue(user, family, Number(url.searchParams.get('expires_in') ?? 3600)));
        }
        case '/__refreshes':
          return json(200, {
            count: refreshRequests.get(url.searchParams.get('family') ?? '') ?? 0,
          });
        case '/token': {
          const auth = req.headers.authorization ?? '';
          const expected = `Basic ${Buffer.from(`${PROVIDER_CLIENT_ID}:${PROVIDER_CLIENT_SECRET}`).toString('base64')}`;
          if (auth !== expected) return json(401, { error: 'invalid_client' });
          const form = new URLSearchParams(body);
          if (form.get('grant_type') !== 'refresh_token') {
            return json(400, { error: 'unsupported_grant_type' });
          }
          const token = form.get('refresh_token') ?? '';
          const held = refresh.get(token);
          const family = held?.family ?? token.split('.')[1] ?? '';
          refreshRequests.set(family, (refreshRequests.get(family) ?? 0) + 1);
          if (!held) return json(400, { error: 'invalid_grant' });
          refresh.delete(token);
          // Slow enough that concurrent callers overlap the refresh.
          setTimeout(() => json(200, issue(held.user, held.family, 3600)), 150);
          return;
        }
        case '/whoami': {
          const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
          const who = m ? access.get(m[1]!) : undefined;
          if (!who) return json(401, { error: 'invalid_token' });
          return json(200, { sub: who.user, echo: url.searchParams.get('echo') ?? null });
        }
        // Echoes the bearer token back, as a careless API might.
        case '/leak':
          return json(200, { token: (req.headers.authorization ?? '').replace(/^Bearer /, '') });
        default:
          return json(404, { error: 'not_found' });
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  server.unref();
  const { port } = server.address() as { port: number };
  origin = `http://127.0.0.1:${port}`;
  return { origin, close: () => server.close() };
}
