import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, signUp } from './support/accounts';
import { sampleSpec } from './support/servers';

const withPrimitives = () =>
  sampleSpec(undefined, {
    resources: [
      { uri: 'docs://readme', name: 'readme', mimeType: 'text/markdown', text: '# Weather' },
    ],
    resourceTemplates: [
      {
        uriTemplate: 'weather://forecast/{city}',
        name: 'forecast',
        mimeType: 'application/json',
        scopes: ['mcp:forecasts'],
        http: {
          method: 'GET',
          url: 'https://api.example.com/forecast?city={city}',
          headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
        },
      },
    ],
    prompts: [
      {
        name: 'plan_trip',
        arguments: [{ name: 'city', required: true }],
        messages: [{ role: 'user', text: 'Plan a trip to {city}.' }],
      },
    ],
  });

describe('resources, templates and prompts through /v1/servers', () => {
  it('publishes them and offers their scopes in the runner metadata', async () => {
    const alice = await signUp();
    const spec = withPrimitives();
    const res = await api('/v1/servers', { as: alice, body: spec });
    expect(res.status).toBe(201);
    const { id } = await res.json<{ id: string }>();
    const read = await (
      await api(`/v1/servers/${id}`, { as: alice })
    ).json<{
      spec: typeof spec;
    }>();
    expect(read.spec.resources).toEqual(spec.resources);
    expect(read.spec.resourceTemplates?.[0]?.uriTemplate).toBe('weather://forecast/{city}');
    expect(read.spec.prompts?.[0]?.name).toBe('plan_trip');
    const prm = await env.RUNNER.fetch(
      `${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${spec.slug}/mcp`,
    );
    expect(await prm.json()).toMatchObject({ scopes_supported: ['mcp:forecasts', 'mcp:read'] });
  });

  it('refuses duplicate URIs with 422 naming the field path, publishing nothing', async () => {
    const alice = await signUp();
    const spec = withPrimitives();
    spec.resources!.push({ uri: 'docs://readme', name: 'again', mimeType: 'text/plain', text: '' });
    const res = await api('/v1/servers', { as: alice, body: spec });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        message: 'Invalid field resources[1].uri: duplicate resource uri',
        fields: [{ path: 'resources[1].uri', message: 'duplicate resource uri' }],
      },
    });
    const list = await (await api('/v1/servers', { as: alice })).json<{ servers: unknown[] }>();
    expect(list.servers).toEqual([]);
  });

  it('refuses a template calling outside egress and a prompt without messages with 422', async () => {
    const alice = await signUp();
    const spec = withPrimitives();
    spec.resourceTemplates![0]!.http.url = 'https://evil.example/x?city={city}';
    spec.prompts![0]!.messages = [];
    const res = await api('/v1/servers', { as: alice, body: spec });
    expect(res.status).toBe(422);
    const { error } = await res.json<{ error: { fields: { path: string; message: string }[] } }>();
    expect(error.fields).toEqual(
      expect.arrayContaining([
        { path: 'prompts[0].messages', message: 'Too small: expected array to have >=1 items' },
        {
          path: 'resourceTemplates[0].http.url',
          message: 'host evil.example is not in "egress"',
        },
      ]),
    );
  });

  it('publishes resources and prompts in the ServerSpec JSON Schema', async () => {
    const schema = await (
      await api('/v1/schemas/server-spec.json')
    ).json<{
      properties: Record<string, unknown>;
    }>();
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['resources', 'resourceTemplates', 'prompts']),
    );
  });
});
