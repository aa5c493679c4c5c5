// A real local HTTP API for the runner's tools to call (started by vitest.config.ts in Node).
// It records every request so tests can assert what reached the downstream, and nothing else.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SECRET_FORMS, type SecretForm } from './secret-forms';

export type Recorded = {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  aborted: boolean;
};

export async function startDownstream(): Promise<{ origin: string; close: () => void }> {
  const log: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const entry: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        aborted: false,
      };
      if (url.pathname !== '/__requests') log.push(entry);
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      switch (url.pathname) {
        case '/__requests': {
          const tag = url.searchParams.get('tag');
          return json(200, tag ? log.filter((r) => r.url.includes(tag)) : log);
        }
        case '/forecast':
          return json(200, { city: url.searchParams.get('city'), days: [{ tempC: 21 }] });
        case '/echo':
          return json(200, { method: req.method, url: req.url, headers: req.headers, body });
        case '/status': {
          const code = Number(url.searchParams.get('code') ?? 500);
          return json(code, { error: 'nope', sawAuthorization: req.headers.authorization ?? null });
        }
        case '/deep': {
          const depth = Number(url.searchParams.get('depth') ?? 100_000);
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`);
        }
        case '/text':
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          return res.end('plain words');
        case '/big':
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end('x'.repeat(2 * 1024 * 1024));
        case '/catalog': {
          // A large page of JSON (response shaping): items after the `cursor` ("c<id>") until
          // `bytes` (default 5 MB) or `per_page` items, `total_count` and a `next_cursor`.
          const bytes = Number(url.searchParams.get('bytes') || 5_000_000);
          const perPage = Number(url.searchParams.get('per_page') || Infinity);
          const after = Number((url.searchParams.get('cursor') || 'c0').slice(1));
          const parts: string[] = [];
          let size = 0;
          for (let id = after + 1; size < bytes && parts.length < perPage; id++) {
            const item = JSON.stringify({
              id,
              name: `item-${id}`,
              description: `Item ${id}: ${'lorem ipsum dolor sit amet '.repeat(8)}`,
              owner: { login: `user${id % 97}`, id: id % 97 },
              tags: ['alpha', 'beta', 'gamma'],
            });
            parts.push(item);
            size += item.length + 1;
          }
          const last = after + parts.length;
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(
            `{"total_count":1000000,"items":[${parts.join(',')}],"next_cursor":"c${last}"}`,
          );
        }
        case '/image': {
          res.writeHead(200, { 'content-type': 'image/png' });
          return res.end(Buffer.alloc(Number(url.searchParams.get('bytes') ?? 1000), 7));
        }
        case '/lines': {
          const bytes = Number(url.searchParams.get('bytes') ?? 5_000_000);
          const lines: string[] = [];
          for (let i = 0, size = 0; size < bytes; i++) {
            const line = `line ${i}: ${'-'.repeat(60)}`;
            lines.push(line);
            size += line.length + 1;
          }
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end(lines.join('\n'));
        }
        case '/reflect': {
          // Echoes `{"secret": …}` from the request body in the encoding `form` names.
          const secret = String((JSON.parse(body || '{}') as { secret?: string }).secret ?? '');
          const form = url.searchParams.get('form') ?? 'raw';
          const status = Number(url.searchParams.get('status') ?? 200);
          if (form === 'image') {
            res.writeHead(status, { 'content-type': 'image/png' });
            return res.end(Buffer.concat([Buffer.from('\x89PNG\r\n'), Buffer.from(secret)]));
          }
          if (form === 'reason') {
            res.writeHead(status, `Bad ${secret}`, { 'content-type': 'text/plain' });
            return res.end('no');
          }
          if (form === 'mime') {
            res.writeHead(status, { 'content-type': `application/x-${secret}` });
            return res.end('binary');
          }
          const encoded = SECRET_FORMS[form as SecretForm](secret);
          res.writeHead(status, { 'content-type': 'application/json' });
          return res.end(`{"value":"${encoded}","note":"echo"}`);
        }
        case '/hook': {
          // An alert webhook: answers 500 to the first `fail` deliveries to this URL, then 204.
          const fail = Number(url.searchParams.get('fail') ?? 0);
          const seen = log.filter((r) => r.url === req.url).length;
          res.writeHead(seen <= fail ? 500 : 204);
          return res.end();
        }
        case '/redirect':
          res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
          return res.end();
        case '/slow': {
          const ms = Number(url.searchParams.get('ms') ?? 1000);
          const timer = setTimeout(() => json(200, { waited: ms }), ms);
          res.on('close', () => {
            if (!res.writableEnded) {
              entry.aborted = true;
              clearTimeout(timer);
            }
          });
          return;
        }
        // Faults (test/faults-downstream.test.ts): the connection reset before any answer,
        // a body that claims to be JSON and is not, a body cut off mid-way, and headers followed
        // by a body that never ends.
        case '/reset':
          return req.socket.destroy();
        case '/garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{"city": "Par\u0000is", ]]] not json');
        case '/truncated':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
          res.write('{"items": [1, 2, 3');
          return setTimeout(() => req.socket.destroy(), 20);
        case '/stall': {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"items": [');
          const timer = setTimeout(() => res.end(']}'), 8000);
          res.on('close', () => clearTimeout(timer));
          return;
        }
        default:
          return json(404, { error: 'not found' });
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  server.unref();
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}
