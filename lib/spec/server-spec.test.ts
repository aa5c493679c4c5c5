import { describe, expect, it } from 'vitest';
import {
  formatSpecIssues,
  serverScopes,
  serverSpecJsonSchema,
  ServerSpecSchema,
  SLUG_PATTERN,
} from './server-spec';

const weather = {
  name: 'Weather',
  slug: 'weather',
  description: 'Forecasts from Open-Meteo',
  visibility: 'private',
  secrets: [{ name: 'API_KEY', description: 'Open-Meteo key' }],
  egress: ['api.open-meteo.com'],
  tools: [
    {
      name: 'get_forecast',
      title: 'Get forecast',
      description: 'Daily forecast for a city',
      inputSchema: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      },
      annotations: { readOnlyHint: true },
      scopes: ['mcp:read'],
      http: {
        method: 'GET',
        url: 'https://api.open-meteo.com/v1/forecast?city={city}',
        headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
        body: null,
        timeoutMs: 10000,
      },
    },
  ],
};

describe('ServerSpecSchema', () => {
  it('accepts the DESIGN §4 example as is', () => {
    expect(ServerSpecSchema.parse(weather).tools[0]!.name).toBe('get_forecast');
  });

  it('refuses a secret in the URL, naming the field path', () => {
    const bad = structuredClone(weather);
    bad.tools[0]!.http.url = 'https://api.open-meteo.com/v1?key={{secrets.API_KEY}}';
    const result = ServerSpecSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(formatSpecIssues(result.error!)).toContainEqual({
      path: 'tools.0.http.url',
      message: 'secrets may not appear in the URL; put them in a header or the body',
    });
  });

  it('refuses undeclared secrets, hosts outside egress, reserved slugs and unknown fields', () => {
    const bad = structuredClone(weather) as Record<string, unknown> & typeof weather;
    bad.secrets = [];
    bad.egress = ['example.com'];
    bad.slug = 'login';
    bad.extra = true;
    const paths = formatSpecIssues(ServerSpecSchema.safeParse(bad).error!).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['slug', '(root)']));
    const ok = ServerSpecSchema.safeParse({ ...bad, slug: 'weather', extra: undefined });
    const messages = formatSpecIssues(ok.error!).map((i) => `${i.path}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'tools.0.http: uses secret API_KEY that is not declared in "secrets"',
        'tools.0.http.url: host api.open-meteo.com is not in "egress"',
      ]),
    );
  });

  it('derives scopes from annotations when a tool names none', () => {
    const spec = ServerSpecSchema.parse({
      ...weather,
      tools: [
        { ...weather.tools[0], name: 'a', scopes: undefined },
        { ...weather.tools[0], name: 'b', scopes: undefined, annotations: {} },
        {
          ...weather.tools[0],
          name: 'c',
          scopes: undefined,
          annotations: { destructiveHint: true },
        },
      ],
    });
    expect(serverScopes(spec)).toEqual(['mcp:admin', 'mcp:read', 'mcp:write']);
  });
});

describe('serverSpecJsonSchema', () => {
  it('describes every top-level field with its constraints', () => {
    const schema = serverSpecJsonSchema() as {
      properties: Record<string, { pattern?: string }>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['name', 'slug', 'egress', 'tools', 'secrets', 'visibility']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'slug', 'egress', 'tools']));
    expect(schema.properties.slug?.pattern).toBe(SLUG_PATTERN.source);
  });
});

describe('egress in specs', () => {
  it('lets a bare host in egress cover a URL with a port', () => {
    const local = structuredClone(weather);
    local.egress = ['127.0.0.1'];
    local.tools[0]!.http.url = 'http://127.0.0.1:4567/forecast?city={city}';
    expect(ServerSpecSchema.safeParse(local).success).toBe(true);
  });
});
