// A local downstream API for the wizard tests (a fake third party, as a real HTTP server): a
// tiny "Notes" API with an API-key header, its OpenAPI document, and a log of what it received.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export const NOTES_API_KEY = 'notes-test-key-7Qm2';

export type NotesApi = {
  origin: string;
  host: string;
  requests: { method: string; path: string; apiKey: string | undefined }[];
  openapi: (opts?: { title?: string; includeBroken?: boolean }) => string;
  close: () => Promise<void>;
};

export async function startNotesApi(): Promise<NotesApi> {
  const requests: NotesApi['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const apiKey = req.headers['x-notes-key'] as string | undefined;
    requests.push({ method: req.method ?? '', path: url.pathname + url.search, apiKey });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/status') return json(200, { ok: true, notes: 2 });
    if (apiKey !== NOTES_API_KEY) return json(401, { error: 'bad key' });
    if (url.pathname === '/broken') return json(500, { error: 'the notes database is down' });
    const note = /^\/notes\/([\w-]+)$/.exec(url.pathname);
    if (req.method === 'GET' && note) return json(200, { id: note[1], text: 'Buy milk' });
    if (req.method === 'GET' && url.pathname === '/notes') return json(200, [{ id: 'n1' }]);
    if (req.method === 'POST' && url.pathname === '/notes') return json(201, { id: 'n2' });
    return json(404, { error: 'not found' });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;

  const openapi = ({ title = 'Notes API', includeBroken = false } = {}) =>
    JSON.stringify(
      {
        openapi: '3.0.3',
        info: { title, version: '1.0.0' },
        servers: [{ url: origin }],
        components: {
          securitySchemes: { notesKey: { type: 'apiKey', in: 'header', name: 'X-Notes-Key' } },
        },
        security: [{ notesKey: [] }],
        paths: {
          '/notes/{id}': {
            get: {
              operationId: 'getNote',
              summary: 'Get a note by id',
              parameters: [
                {
                  name: 'id',
                  in: 'path',
                  required: true,
                  schema: { type: 'string' },
                  example: 'n1',
                },
              ],
              responses: { '200': { description: 'The note' } },
            },
          },
          '/notes': {
            get: {
              operationId: 'listNotes',
              summary: 'List notes',
              responses: { '200': { description: 'Notes' } },
            },
            post: {
              operationId: 'createNote',
              summary: 'Create a note',
              requestBody: {
                required: true,
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: { text: { type: 'string' } },
                      required: ['text'],
                    },
                  },
                },
              },
              responses: { '201': { description: 'Created' } },
            },
          },
          ...(includeBroken
            ? {
                '/broken': {
                  get: {
                    operationId: 'getBroken',
                    summary: 'Always fails',
                    responses: { '200': { description: 'never' } },
                  },
                },
              }
            : {}),
        },
      },
      null,
      2,
    );

  return {
    origin,
    host: `127.0.0.1:${port}`,
    requests,
    openapi,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
