// A local reverse proxy that adds `Authorization: Bearer <token>` and forwards /mcp to one hosted
// server, so tools that know nothing about OAuth (the MCP conformance suite, the Inspector CLI)
// can talk to it. Host and Origin naming the proxy itself are translated to the runner's; any
// other Host/Origin is passed through untouched, so DNS-rebinding checks still see it.
import { createServer, request, type Server } from 'node:http';

export async function startBearerProxy(
  target: string,
  token: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = new URL(target);
  let self = '';
  const server: Server = createServer((req, res) => {
    const headers = { ...req.headers };
    if (headers.host === self) headers.host = upstream.host;
    if (headers.origin === `http://${self}`) headers.origin = upstream.origin;
    headers.authorization = `Bearer ${token}`;
    const path = (req.url ?? '/').replace(/^\/mcp(?=$|[?/])/, upstream.pathname);
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  self = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: `http://${self}/mcp`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
