import { describe, expect, it } from 'vitest';
import {
  formatSpecIssues,
  serverScopes,
  serverSpecJsonSchema,
  ServerSpecSchema,
  type ServerSpecInput,
} from './server-spec';

const base = (): ServerSpecInput => ({
  name: 'Docs',
  slug: 'handbook',
  secrets: [{ name: 'API_KEY' }],
  egress: ['api.example.com'],
  tools: [
    {
      name: 'search',
      description: 'Search the docs',
      inputSchema: { type: 'object' },
      annotations: { readOnlyHint: true },
      http: { method: 'GET', url: 'https://api.example.com/search' },
    },
  ],
  resources: [
    { uri: 'docs://readme', name: 'readme', mimeType: 'text/markdown', text: '# Hello' },
    { uri: 'docs://logo.png', name: 'logo', mimeType: 'image/png', blob: 'iVBORw0KGgo=' },
  ],
  resourceTemplates: [
    {
      uriTemplate: 'docs://pages/{page}',
      name: 'page',
      mimeType: 'application/json',
      scopes: ['mcp:docs:read'],
      http: {
        method: 'GET',
        url: 'https://api.example.com/pages/{page}',
        headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
      },
    },
  ],
  prompts: [
    {
      name: 'summarize',
      description: 'Summarize a page',
      arguments: [{ name: 'page', required: true }, { name: 'tone' }],
      messages: [{ role: 'user', text: 'Summarize {page} in a {tone} tone.' }],
    },
  ],
});

function issuesOf(spec: unknown): string[] {
  const result = ServerSpecSchema.safeParse(spec);
  expect(result.success).toBe(false);
  return formatSpecIssues(result.error!).map((i) => `${i.path}: ${i.message}`);
}

describe('resources, resource templates and prompts in a ServerSpec', () => {
  it('accepts static resources, HTTP-backed templates and prompts beside tools', () => {
    const spec = ServerSpecSchema.parse(base());
    expect(spec.resources).toHaveLength(2);
    expect(spec.resourceTemplates![0]!.http.url).toBe('https://api.example.com/pages/{page}');
    expect(spec.prompts![0]!.arguments).toHaveLength(2);
  });

  it('offers mcp:read for primitives without scopes and their own scopes otherwise', () => {
    const spec = ServerSpecSchema.parse({
      ...base(),
      tools: [{ ...base().tools[0]!, annotations: {} }],
    });
    expect(serverScopes(spec)).toEqual(['mcp:docs:read', 'mcp:read', 'mcp:write']);
  });

  it('refuses a resource with both text and blob, or neither, or a bad blob', () => {
    const spec = base();
    spec.resources = [
      { uri: 'docs://a', name: 'a', mimeType: 'text/plain', text: 'x', blob: 'eA==' },
      { uri: 'docs://b', name: 'b', mimeType: 'text/plain' },
      { uri: 'docs://c', name: 'c', mimeType: 'image/png', blob: 'not base64!' },
    ];
    expect(issuesOf(spec)).toEqual([
      'resources.0: give exactly one of "text" or "blob"',
      'resources.1: give exactly one of "text" or "blob"',
      'resources.2.blob: standard base64 (RFC 4648 §4) with padding',
    ]);
  });

  it('refuses a resource larger than 256 KiB and resources over 1 MiB together', () => {
    const big = base();
    big.resources = [
      { uri: 'docs://big', name: 'big', mimeType: 'text/plain', text: 'x'.repeat(256 * 1024 + 1) },
    ];
    expect(issuesOf(big)).toEqual(['resources.0.text: at most 256 KiB of text (UTF-8)']);
    const many = base();
    many.resources = Array.from({ length: 5 }, (_, i) => ({
      uri: `docs://r${i}`,
      name: `r${i}`,
      mimeType: 'text/plain',
      text: 'x'.repeat(256 * 1024),
    }));
    expect(issuesOf(many)).toEqual([
      'resources.4: resources together may hold at most 1 MiB of text and blobs',
    ]);
  });

  it('refuses duplicate URIs, templates and names, naming the later field', () => {
    const spec = base();
    spec.resources!.push({ uri: 'docs://readme', name: 'page', mimeType: 'text/plain', text: 'x' });
    spec.resourceTemplates!.push({ ...spec.resourceTemplates![0]!, name: 'other' });
    spec.prompts!.push({ ...spec.prompts![0]! });
    expect(issuesOf(spec)).toEqual([
      'resources.2.uri: duplicate resource uri',
      'resourceTemplates.1.uriTemplate: duplicate uriTemplate',
      'resourceTemplates.0.name: a resource already has this name',
      'prompts.1.name: duplicate prompt name',
    ]);
  });

  it('refuses bad URIs, template expressions and MIME types', () => {
    const spec = base();
    spec.resources![0]!.uri = 'readme.md';
    spec.resources![1]!.mimeType = 'png';
    spec.resourceTemplates![0]!.uriTemplate = 'docs://pages/{+page}';
    expect(issuesOf(spec)).toEqual(
      expect.arrayContaining([
        'resources.0.uri: must be an absolute URI with a scheme, e.g. "docs://readme"',
        'resources.1.mimeType: a media type such as "text/markdown" or "application/json"',
        'resourceTemplates.0.uriTemplate: {+page} is not supported: use simple {name} expressions (RFC 6570 level 1)',
      ]),
    );
  });

  it("holds a template's HTTP call to the tool rules: secrets declared, egress, URL variables", () => {
    const spec = base();
    spec.secrets = [];
    spec.resourceTemplates![0]!.http.url = 'https://elsewhere.example/pages/{page}?v={version}';
    expect(issuesOf(spec)).toEqual([
      'resourceTemplates.0.http: uses secret API_KEY that is not declared in "secrets"',
      'resourceTemplates.0.http.url: host elsewhere.example is not in "egress"',
      'resourceTemplates.0.http: {version} is not a variable of uriTemplate',
    ]);
    const inUrl = base();
    inUrl.resourceTemplates![0]!.http.url = 'https://api.example.com/p?k={{secrets.API_KEY}}';
    expect(issuesOf(inUrl)).toContain(
      'resourceTemplates.0.http.url: secrets may not appear in the URL; put them in a header or the body',
    );
  });

  it('refuses a prompt without messages, with a duplicate argument or an unknown role', () => {
    const spec = base();
    spec.prompts = [
      { name: 'a', messages: [] },
      {
        name: 'b',
        arguments: [{ name: 'x' }, { name: 'x' }],
        messages: [{ role: 'user', text: 'hi' }],
      },
      { name: 'c', messages: [{ role: 'system' as 'user', text: 'hi' }] },
    ];
    expect(issuesOf(spec)).toEqual([
      'prompts.0.messages: Too small: expected array to have >=1 items',
      'prompts.1.arguments.1.name: duplicate argument name',
      'prompts.2.messages.0.role: Invalid option: expected one of "user"|"assistant"',
    ]);
  });
});

describe('the published JSON Schema', () => {
  it('describes resources, templates and prompts for editors and the docs', () => {
    const schema = serverSpecJsonSchema() as {
      properties: Record<
        string,
        { items?: { properties?: Record<string, { description?: string }> } }
      >;
    };
    const resource = schema.properties.resources?.items?.properties;
    expect(resource?.text?.description).toBe(
      'The content as text; give exactly one of text or blob',
    );
    expect(
      schema.properties.resourceTemplates?.items?.properties?.uriTemplate?.description,
    ).toMatch(/^RFC 6570 level 1/);
    expect(Object.keys(schema.properties.prompts?.items?.properties ?? {})).toEqual(
      expect.arrayContaining(['name', 'arguments', 'messages', 'scopes']),
    );
  });
});
