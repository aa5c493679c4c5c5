// A real local HTTP server publishing Client ID Metadata Documents (started by vitest.config.ts
// in Node), so the AS fetches them over the network exactly as it would a client's https URL.
import { createServer } from 'node:http';

export async function startClientMetadataServer(): Promise<{ origin: string; close: () => void }> {
  const hits = new Map<string, number>();
  let origin = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const self = `${origin}${url.pathname}`;
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    const doc = (extra: Record<string, unknown> = {}) => ({
      client_id: self,
      client_name: 'Metadata App',
      client_uri: 'https://app.example',
      redirect_uris: ['http://127.0.0.1:33418/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...extra,
    });
    if (url.pathname === '/__hits')
      return json(200, { hits: hits.get(url.searchParams.get('path') ?? '') ?? 0 });
    if (url.pathname.startsWith('/good/')) return json(200, doc());
    if (url.pathname.startsWith('/mismatch/'))
      return json(200, doc({ client_id: 'https://other.example/c' }));
    if (url.pathname.startsWith('/secret/')) {
      return json(200, doc({ token_endpoint_auth_method: 'client_secret_basic' }));
    }
    if (url.pathname.startsWith('/redirect/')) {
      res.writeHead(302, { location: `${origin}/good/${url.pathname.slice(10)}` });
      return res.end();
    }
    if (url.pathname.startsWith('/big/')) {
      return json(200, doc({ client_name: 'x'.repeat(100 * 1024) }));
    }
    if (url.pathname.startsWith('/slow/')) {
      const t = setTimeout(() => json(200, doc()), 8_000);
      res.on('close', () => clearTimeout(t));
      return;
    }
    json(404, { error: 'not found' });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  server.unref();
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { origin, close: () => server.close() };
}
