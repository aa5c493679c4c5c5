import { beforeAll, describe, expect, it } from 'vitest';
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import { fillHeaders, TemplateError } from '../src/tools/templates';
import { fillUrl } from '../src/tools/url-template';
import { callTool, initialize } from './support/mcp';
import {
  downstream,
  downstreamRequests,
  publishServer,
  setSecret,
  uniqueSlug,
  weatherSpec,
} from './support/servers';
import { mintToken } from './support/tokens';

type ToolInput = ServerSpecInput['tools'][number];

function tool(name: string, url: string, properties: string[]): ToolInput {
  return {
    name,
    description: name,
    inputSchema: {
      type: 'object',
      properties: Object.fromEntries(properties.map((p) => [p, { type: 'string' }])),
    },
    annotations: { readOnlyHint: true },
    http: { method: 'GET', url, headers: { Authorization: 'Bearer {{secrets.API_KEY}}' } },
  };
}

let slug: string;
let token: string;
let sessionId: string;

beforeAll(async () => {
  slug = uniqueSlug('paths');
  const spec = weatherSpec(slug);
  spec.tools.push(
    tool('profile', downstream('/users/{username}/profile?tag={tag}'), ['username', 'tag']),
    tool('pair', downstream('/files/{a}{b}/raw?tag={tag}'), ['a', 'b', 'tag']),
  );
  const server = await publishServer(spec);
  await setSecret(server, 'API_KEY', 'sk_paths_secret_value');
  token = await mintToken(slug);
  sessionId = await initialize(slug, token);
});

const call = (name: string, args: Record<string, unknown>) =>
  callTool(slug, token, sessionId, name, args);

describe('URL path placeholders', () => {
  it.each([
    ['..', 'argument "username" may not be ".." in the URL path'],
    ['.', 'argument "username" may not be "." in the URL path'],
    ['%2e%2e', 'argument "username" may not be "%2e%2e" in the URL path'],
    ['.%2E', 'argument "username" may not be ".%2E" in the URL path'],
    ['', 'argument "username" is empty; the URL path needs a value'],
  ])('refuses %j as a path value with isError and sends nothing', async (username, reason) => {
    const tag = `trav${crypto.randomUUID().slice(0, 8)}`;
    const { res, message } = await call('profile', { username, tag });
    expect(res.status).toBe(200);
    expect(message.result).toEqual({
      isError: true,
      content: [{ type: 'text', text: `Could not call the API: ${reason}.` }],
    });
    expect(await downstreamRequests(tag)).toHaveLength(0);
  });

  it('refuses dot segments built from two placeholders and sends nothing', async () => {
    const tag = `pair${crypto.randomUUID().slice(0, 8)}`;
    const { message } = await call('pair', { a: '.', b: '.', tag });
    expect(message.result?.isError).toBe(true);
    expect(await downstreamRequests(tag)).toHaveLength(0);
  });

  it('keeps an ordinary value inside its segment, slashes and dots included', async () => {
    const tag = `ok${crypto.randomUUID().slice(0, 8)}`;
    const { message } = await call('profile', { username: '../a/..b', tag });
    expect(message.result?.isError).toBeTruthy(); // the downstream answers 404 for /users/…
    const [seen] = await downstreamRequests(tag);
    expect(seen?.url).toBe(`/users/..%2Fa%2F..b/profile?tag=${tag}`);
  });
});

describe('fillUrl', () => {
  it('refuses a filled URL whose path has fewer segments than its template', () => {
    // The template's own "%2" plus the argument's "e" make a %2e dot segment.
    expect(() => fillUrl('https://api.example.com/files/%2{a}/raw', { a: 'e' })).toThrow(
      new TemplateError("an argument would change the URL's path"),
    );
  });

  it('keeps the host, the path and the query parameters of the template', () => {
    const url = fillUrl('https://api.example.com/u/{id}/x?q={q}&opt={opt}', {
      id: 'a b',
      q: 'x&admin=1#frag',
    });
    expect(url.href).toBe('https://api.example.com/u/a%20b/x?q=x%26admin%3D1%23frag');
    expect([...url.searchParams.keys()]).toEqual(['q']);
  });
});

describe('fillHeaders', () => {
  it('never reads a filled secret as a template', () => {
    const headers = fillHeaders(
      { 'X-Key': '{{secrets.KEY}} for {q}' },
      { q: 'me' },
      new Map([['KEY', 'a{q}b']]),
    );
    expect(headers.get('x-key')).toBe('a{q}b for me');
  });
});
