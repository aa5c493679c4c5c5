// Servers through the real /v1/servers routes.
import { PublishedServerSchema, type PublishedServer } from '../../../../lib/api/servers';
import type { ServerSpecInput } from '../../../../lib/spec/server-spec';
import { api, type SignedUp } from './accounts';
import { expectShape } from './contract';

let counter = 0;
export function uniqueSlug(base = 'srv'): string {
  return `${base}-${Date.now().toString(36)}${(counter++).toString(36)}`;
}

export function sampleSpec(
  slug = uniqueSlug(),
  overrides: Partial<ServerSpecInput> = {},
): ServerSpecInput {
  return {
    name: 'Weather',
    slug,
    description: 'Forecasts',
    visibility: 'private',
    secrets: [{ name: 'API_KEY', description: 'API key' }],
    egress: ['api.example.com'],
    tools: [
      {
        name: 'get_forecast',
        description: 'Daily forecast for a city',
        inputSchema: {
          type: 'object',
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
        annotations: { readOnlyHint: true },
        http: {
          method: 'GET',
          url: 'https://api.example.com/forecast?city={city}',
          headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
        },
      },
    ],
    ...overrides,
  };
}

export type CreatedServer = PublishedServer;

export async function createServer(
  as: SignedUp,
  spec: ServerSpecInput = sampleSpec(),
): Promise<CreatedServer> {
  const res = await api('/v1/servers', { as, body: spec });
  if (res.status !== 201) throw new Error(`createServer failed: ${res.status} ${await res.text()}`);
  return expectShape(PublishedServerSchema, await res.json());
}
