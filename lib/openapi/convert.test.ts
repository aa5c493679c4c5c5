import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ServerSpecSchema } from '../spec/server-spec';
import { DEFAULT_SELECTION, openApiToServerSpec, slugFrom } from './convert';
import { OpenApiError } from './document';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('Petstore 3.0 (relative server URL, apiKey header + OAuth2 implicit)', () => {
  const text = fixture('petstore-3.0.yaml');

  it('refuses a relative server URL without a base URL, naming the fix', async () => {
    await expect(openApiToServerSpec(text)).rejects.toMatchObject({
      code: 'openapi_no_base_url',
      message: expect.stringContaining('/api/v3'),
    });
  });

  it('lists all 19 operations, selects the supported ones and produces a valid spec', async () => {
    const { spec, operations } = await openApiToServerSpec(text, {
      baseUrl: 'https://petstore3.swagger.io',
    });
    expect(operations).toHaveLength(19);
    const upload = operations.find((o) => o.id === 'uploadFile');
    expect(upload).toMatchObject({ supported: false, selected: false });
    expect(upload?.reason).toContain('application/octet-stream');
    expect(spec.tools).toHaveLength(18);
    expect(spec.egress).toEqual(['petstore3.swagger.io']);
    expect(ServerSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('maps path and query parameters into the URL template and the input schema', async () => {
    const { spec } = await openApiToServerSpec(text, { baseUrl: 'https://petstore3.swagger.io' });
    const get = spec.tools.find((t) => t.name === 'getPetById')!;
    expect(get.http.url).toBe('https://petstore3.swagger.io/api/v3/pet/{petId}');
    expect(get.inputSchema).toMatchObject({
      properties: { petId: { type: 'integer', description: 'ID of pet to return' } },
      required: ['petId'],
    });
    const find = spec.tools.find((t) => t.name === 'findPetsByStatus')!;
    expect(find.http.url).toBe(
      'https://petstore3.swagger.io/api/v3/pet/findByStatus?status={status}',
    );
    expect(find.annotations).toMatchObject({ readOnlyHint: true });
    expect(find.scopes).toEqual(['mcp:read']);
  });

  it('prefers the API key header over OAuth2 when both are alternatives', async () => {
    const { spec } = await openApiToServerSpec(text, { baseUrl: 'https://petstore3.swagger.io' });
    const get = spec.tools.find((t) => t.name === 'getPetById')!;
    expect(get.http.headers).toEqual({ api_key: '{{secrets.API_KEY}}' });
    const add = spec.tools.find((t) => t.name === 'addPet')!;
    expect(add.http.headers).toMatchObject({
      Authorization: 'Bearer {{secrets.PETSTORE_AUTH_TOKEN}}',
    });
    expect(spec.secrets?.map((s) => s.name).sort()).toEqual(['API_KEY', 'PETSTORE_AUTH_TOKEN']);
  });

  it('flattens a JSON object body into arguments and marks DELETE destructive', async () => {
    const { spec } = await openApiToServerSpec(text, { baseUrl: 'https://petstore3.swagger.io' });
    const add = spec.tools.find((t) => t.name === 'addPet')!;
    expect(add.http.method).toBe('POST');
    // No body template: the runner sends the arguments not used in the URL as the JSON body.
    expect(add.http.body).toBeUndefined();
    expect(add.http.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(add.inputSchema.required).toEqual(['name', 'photoUrls']);
    expect(add.inputSchema.properties).toMatchObject({
      category: { type: 'object', properties: { name: { type: 'string', examples: ['Dogs'] } } },
    });
    expect(add.scopes).toEqual(['mcp:write']);
    const del = spec.tools.find((t) => t.name === 'deletePet')!;
    expect(del.annotations).toMatchObject({ destructiveHint: true });
    expect(del.scopes).toEqual(['mcp:admin']);
    expect(del.http.headers).toMatchObject({ api_key: '{api_key}' });
  });

  it('keeps an array body as one "body" argument', async () => {
    const { spec } = await openApiToServerSpec(text, { baseUrl: 'https://petstore3.swagger.io' });
    const list = spec.tools.find((t) => t.name === 'createUsersWithListInput')!;
    expect(list.http.body).toBe('{body}');
    expect(list.inputSchema.properties).toMatchObject({ body: { type: 'array' } });
  });

  it('turns only the picked operations into tools', async () => {
    const { spec, operations } = await openApiToServerSpec(text, {
      baseUrl: 'https://petstore3.swagger.io',
      operations: ['getInventory', 'getOrderById'],
    });
    expect(spec.tools.map((t) => t.name)).toEqual(['getInventory', 'getOrderById']);
    expect(operations.filter((o) => o.selected).map((o) => o.id)).toEqual([
      'getInventory',
      'getOrderById',
    ]);
    expect(spec.secrets).toEqual([
      { name: 'API_KEY', description: 'API key sent in the api_key header' },
    ]);
  });
});

describe('GitHub issues subset (3.0.3, slash operationIds, shared parameters, no security schemes)', () => {
  const text = fixture('github-issues-3.0.yaml');

  it('names tools from slash-style operationIds and produces a valid spec', async () => {
    const { spec, warnings } = await openApiToServerSpec(text);
    expect(spec.tools.map((t) => t.name)).toEqual([
      'meta_root',
      'repos_get',
      'issues_list_for_repo',
      'issues_create',
      'issues_delete_comment',
      'issues_get',
      'issues_update',
      'issues_list_comments',
      'issues_create_comment',
      'search_issues_and_pull_requests',
    ]);
    expect(spec.egress).toEqual(['api.github.com']);
    expect(spec.secrets).toEqual([]);
    expect(warnings.join('\n')).toContain('declares no security schemes');
    expect(ServerSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('resolves shared parameters, defaults and nullable types', async () => {
    const { spec } = await openApiToServerSpec(text);
    const list = spec.tools.find((t) => t.name === 'issues_list_for_repo')!;
    expect(list.http.url).toBe(
      'https://api.github.com/repos/{owner}/{repo}/issues?milestone={milestone}&state={state}&assignee={assignee}&labels={labels}&sort={sort}&direction={direction}&since={since}&per_page={per_page}&page={page}',
    );
    expect(list.inputSchema.required).toEqual(['owner', 'repo']);
    expect(list.inputSchema.properties).toMatchObject({
      per_page: { type: 'integer', default: 30 },
    });
    const create = spec.tools.find((t) => t.name === 'issues_create')!;
    expect(create.inputSchema.properties).toMatchObject({
      assignee: { type: ['string', 'null'] },
      title: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      body: { examples: ["I'm having a problem with this."] },
    });
    expect(create.inputSchema.required).toEqual(['owner', 'repo', 'title']);
  });

  it('keeps recursive schemas finite', async () => {
    const { spec } = await openApiToServerSpec(text);
    expect(() => JSON.stringify(spec)).not.toThrow();
    expect(JSON.stringify(spec).length).toBeLessThan(200_000);
  });
});

describe('Museum API (3.1.0, top-level HTTP basic, webhooks, binary response)', () => {
  const text = fixture('museum-3.1.yaml');

  it('declares one Basic credentials secret and injects it in Authorization', async () => {
    const { spec } = await openApiToServerSpec(text);
    expect(spec.secrets).toEqual([
      {
        name: 'MUSEUM_PLACEHOLDER_AUTH_CREDENTIALS',
        description: expect.stringContaining('Basic'),
      },
    ]);
    for (const tool of spec.tools) {
      expect(tool.http.headers?.Authorization).toBe(
        'Basic {{secrets.MUSEUM_PLACEHOLDER_AUTH_CREDENTIALS}}',
      );
    }
    expect(ServerSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('lists paths but not webhooks, and keeps 3.1 examples and $ref siblings', async () => {
    const { spec, operations } = await openApiToServerSpec(text);
    expect(operations.map((o) => o.id)).not.toContain('publishNewTicket');
    expect(operations).toHaveLength(8);
    const buy = spec.tools.find((t) => t.name === 'buyMuseumTickets')!;
    expect(buy.inputSchema.properties).toMatchObject({
      ticketType: { type: 'string', enum: ['event', 'general'], examples: ['event'] },
      email: { format: 'email' },
    });
    expect(buy.inputSchema.required).toEqual(['ticketType', 'ticketDate', 'email']);
    expect(spec.egress).toEqual(['redocly.com']);
  });
});

describe('documents Moat refuses or curates', () => {
  const minimal = (extra: object) =>
    JSON.stringify({
      openapi: '3.0.0',
      info: { title: 'T', version: '1' },
      servers: [{ url: 'https://api.example.com/v1' }],
      paths: { '/a': { get: { operationId: 'a', responses: { 200: { description: 'ok' } } } } },
      ...extra,
    });

  it('refuses an API key in the query string with the reason', async () => {
    const text = minimal({
      components: { securitySchemes: { key: { type: 'apiKey', in: 'query', name: 'api_key' } } },
      security: [{ key: [] }],
    });
    await expect(openApiToServerSpec(text)).rejects.toMatchObject({
      code: 'openapi_no_operations',
      message: expect.stringContaining('never puts secrets in URLs'),
    });
  });

  it('refuses Swagger 2.0 with openapi_unsupported_version', async () => {
    await expect(openApiToServerSpec('swagger: "2.0"\npaths: {}\n')).rejects.toMatchObject({
      code: 'openapi_unsupported_version',
    });
  });

  it('refuses text that is not YAML or JSON with openapi_parse_error', async () => {
    const err = await openApiToServerSpec('openapi: 3.0.0\n  bad: [').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenApiError);
    expect(err).toMatchObject({ code: 'openapi_parse_error' });
  });

  it('refuses an unresolvable $ref with openapi_invalid', async () => {
    const text = JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'T', version: '1' },
      paths: { '/a': { get: { parameters: [{ $ref: '#/components/parameters/missing' }] } } },
    });
    await expect(openApiToServerSpec(text)).rejects.toMatchObject({ code: 'openapi_invalid' });
  });

  it('selects the first 20 of a large document and says so', async () => {
    const paths = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [
        `/r${i}`,
        { get: { operationId: `op${i}`, responses: {} } },
      ]),
    );
    const { spec, operations, warnings } = await openApiToServerSpec(minimal({ paths }));
    expect(operations).toHaveLength(30);
    expect(spec.tools).toHaveLength(DEFAULT_SELECTION);
    expect(warnings.join('\n')).toContain('the first 20 are selected');
  });

  it('derives valid slugs from titles', () => {
    expect(slugFrom('Swagger Petstore - OpenAPI 3.0')).toBe('swagger-petstore-openapi-3-0');
    expect(slugFrom('API')).toBe('api-server');
    expect(slugFrom('42')).toBe('api-server');
  });
});

describe('request bodies the runner cannot send', () => {
  it('marks a form-only operation unsupported with the reason', async () => {
    const text = JSON.stringify({
      openapi: '3.0.0',
      info: { title: 'Forms', version: '1' },
      servers: [{ url: 'https://api.example.com' }],
      paths: {
        '/a': { get: { operationId: 'a', responses: {} } },
        '/f': {
          post: {
            operationId: 'f',
            requestBody: {
              content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } },
            },
            responses: {},
          },
        },
      },
    });
    const { operations, warnings } = await openApiToServerSpec(text);
    expect(operations.find((o) => o.id === 'f')).toMatchObject({
      supported: false,
      selected: false,
    });
    expect(warnings.join('\n')).toContain('form-encoded request bodies are not supported');
  });
});
