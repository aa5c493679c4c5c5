// The downstream API behind the test provider: it answers only for the provider's live access
// tokens (looked up in the provider itself, like RFC 7662 introspection without the hop) and
// reports whose token it saw, so tests can prove each call went out as its own user.
import { createServer } from 'node:http';

export type TokenOwner = { sub: string; scope: string };

export async function startDownstreamApi(
  check: (token: string) => Promise<TokenOwner | null>,
  seen: (sub: string | null) => void,
): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      void (async () => {
        const m = /^Bearer ([\x21-\x7e]+)$/.exec(req.headers.authorization ?? '');
        const owner = m ? await check(m[1]!) : null;
        seen(owner ? owner.sub : null);
        if (!owner) {
          // RFC 6750 §3: a missing or dead token.
          res.writeHead(401, {
            'content-type': 'application/json',
            'www-authenticate': m ? 'Bearer error="invalid_token"' : 'Bearer',
          });
          return res.end(JSON.stringify({ error: 'invalid_token' }));
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            sub: owner.sub,
            scope: owner.scope,
            method: req.method,
            path: req.url,
            body: body || undefined,
          }),
        );
      })();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  server.unref();
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
