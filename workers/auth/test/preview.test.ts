import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import githubDoc from '../../../lib/openapi/fixtures/github-issues-3.0.yaml?raw';
import githubOAuthDoc from '../../../lib/openapi/fixtures/github-oauth-3.0.yaml?raw';
import petstoreDoc from '../../../lib/openapi/fixtures/petstore-3.0.yaml?raw';
import { ServerSpecSchema } from '../../../lib/spec/server-spec';
import worker from '../src/index';
import { createServerStatements } from '../src/store/servers';
import { ORIGIN, api, signUp, type SignedUp } from './support/accounts';

let alice: SignedUp;
beforeAll(async () => {
  alice = await signUp();
});

const llmEnv = () => ({
  ...env,
  LLM_PROVIDER: 'anthropic',
  LLM_API_KEY: 'test-key',
  LLM_BASE_URL: inject('fakeLlmUrl'),
});

/** POST /v1/servers/preview with the LLM pointed at the local fake model. */
async function previewWithLlm(body: unknown, overrides: Partial<Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${ORIGIN}/v1/servers/preview`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: alice.cookie,
        origin: ORIGIN,
        'x-csrf-token': alice.csrfToken,
      },
      body: JSON.stringify(body),
    }),
    { ...llmEnv(), ...overrides } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

async function fakeRequestCount(): Promise<number> {
  const res = await fetch(`${inject('fakeLlmUrl')}/_fake/requests`);
  return (await res.json<unknown[]>()).length;
}

type PreviewBody = {
  source: string;
  spec: { slug: string; tools: { name: string }[]; secrets: { name: string }[] };
  warnings: string[];
  operations?: { id: string; selected: boolean; supported: boolean }[];
  issues: { path: string; message: string }[];
  scopes: string[];
  slug: { available: boolean };
};

describe('POST /v1/servers/preview from OpenAPI', () => {
  it('proposes a valid spec and lists every operation without publishing', async () => {
    const res = await api('/v1/servers/preview', {
      as: alice,
      body: {
        openapi: petstoreDoc,
        baseUrl: 'https://petstore3.swagger.io',
        slug: 'petstore-preview',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json<PreviewBody>();
    expect(body.source).toBe('openapi');
    expect(body.issues).toEqual([]);
    expect(body.operations).toHaveLength(19);
    expect(body.spec.tools).toHaveLength(18);
    expect(body.scopes).toEqual(['mcp:admin', 'mcp:read', 'mcp:write']);
    expect(body.slug).toEqual({ slug: 'petstore-preview', available: true });
    expect(ServerSpecSchema.safeParse(body.spec).success).toBe(true);
    const row = await env.DB.prepare('SELECT id FROM servers WHERE slug = ?')
      .bind('petstore-preview')
      .first();
    expect(row).toBeNull();
  });

  it('turns only the picked operations into tools', async () => {
    const res = await api('/v1/servers/preview', {
      as: alice,
      body: { openapi: githubDoc, operations: ['issues/get', 'issues/create-comment'] },
    });
    expect(res.status).toBe(200);
    const body = await res.json<PreviewBody>();
    expect(body.spec.tools.map((t) => t.name)).toEqual(['issues_get', 'issues_create_comment']);
    expect(body.operations?.filter((o) => o.selected).map((o) => o.id)).toEqual([
      'issues/get',
      'issues/create-comment',
    ]);
  });

  it('proposes a per-user connection for an oauth2 scheme and lists its empty client id as the issue to fix', async () => {
    const res = await api('/v1/servers/preview', { as: alice, body: { openapi: githubOAuthDoc } });
    expect(res.status).toBe(200);
    const body = await res.json<PreviewBody & { spec: { connections?: unknown[] } }>();
    expect(body.spec.connections).toEqual([
      expect.objectContaining({
        name: 'github',
        clientId: '',
        clientSecret: 'GITHUB_CLIENT_SECRET',
      }),
    ]);
    expect(body.issues).toEqual([
      {
        path: 'connections.0.clientId',
        message: 'enter the client ID of the OAuth app registered at the provider',
      },
    ]);
    expect(body.warnings.join('\n')).toContain(
      'The server cannot be built until the client ID is filled in',
    );
  });

  it('moves a derived slug that is taken to a free variant', async () => {
    await env.DB.prepare(
      "INSERT OR IGNORE INTO orgs (id, name, personal, plan, created_at) VALUES ('org_slug', 'O', 0, 'free', 0)",
    ).run();
    const spec = ServerSpecSchema.parse({
      name: 'Taken',
      slug: 'github-v3-rest-api',
      egress: ['api.github.com'],
      tools: [
        {
          name: 'ping',
          description: 'Ping',
          inputSchema: { type: 'object' },
          http: { method: 'GET', url: 'https://api.github.com/' },
        },
      ],
    });
    await env.DB.batch(
      createServerStatements(env.DB, {
        id: 'srv_taken',
        orgId: 'org_slug',
        spec,
        createdBy: 'usr_x',
        now: 1,
      }),
    );
    const res = await api('/v1/servers/preview', { as: alice, body: { openapi: githubDoc } });
    const body = await res.json<PreviewBody>();
    expect(body.spec.slug).toBe('github-v3-rest-api-2');
    expect(body.slug.available).toBe(true);
  });

  it('refuses text that is not YAML or JSON with 422 openapi_parse_error', async () => {
    const res = await api('/v1/servers/preview', {
      as: alice,
      body: { openapi: 'openapi: 3.0.0\n  bad: [' },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'openapi_parse_error' } });
  });

  it('refuses Swagger 2.0 with 422 openapi_unsupported_version', async () => {
    const res = await api('/v1/servers/preview', {
      as: alice,
      body: { openapi: '{"swagger":"2.0","paths":{}}' },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'openapi_unsupported_version' } });
  });

  it('says a relative server URL needs a base URL', async () => {
    const res = await api('/v1/servers/preview', { as: alice, body: { openapi: petstoreDoc } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      error: { code: 'openapi_no_base_url', message: expect.stringContaining('baseUrl') },
    });
  });
});

describe('POST /v1/servers/preview from a prompt', () => {
  it('proposes a valid spec through the configured model', async () => {
    const res = await previewWithLlm({
      prompt: 'A server that looks up GitHub issues and can comment on them',
    });
    expect(res.status).toBe(200);
    const body = await res.json<PreviewBody>();
    expect(body.source).toBe('prompt');
    expect(body.issues).toEqual([]);
    expect(body.spec.tools.map((t) => t.name)).toEqual([
      'list_issues',
      'get_issue',
      'comment_on_issue',
    ]);
    expect(body.spec.secrets.map((s) => s.name)).toEqual(['GITHUB_TOKEN']);
  });

  it('speaks the OpenAI-compatible chat API when LLM_PROVIDER=openai', async () => {
    const res = await previewWithLlm(
      { prompt: 'weather forecasts', slug: 'my-forecast' },
      { LLM_PROVIDER: 'openai' },
    );
    expect(res.status).toBe(200);
    expect((await res.json<PreviewBody>()).spec.slug).toBe('my-forecast');
  });

  it('repairs an invalid first answer in one more round', async () => {
    const before = await fakeRequestCount();
    const res = await previewWithLlm({ prompt: 'weather [fake:invalid-first]' });
    expect(res.status).toBe(200);
    const body = await res.json<PreviewBody>();
    expect(body.issues).toEqual([]);
    expect(body.warnings.join(' ')).toContain('repaired');
    expect((await fakeRequestCount()) - before).toBe(2);
  });

  it('fails with 422 llm_invalid_answer and the issues when the repair round fails too', async () => {
    const res = await previewWithLlm({ prompt: 'weather [fake:always-invalid]' });
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { code: string; issues: unknown[] } }>();
    expect(body.error.code).toBe('llm_invalid_answer');
    expect(body.error.issues.length).toBeGreaterThan(0);
  });

  it('refuses a prompt carrying a credential with 400 secret_in_prompt before calling the model', async () => {
    const before = await fakeRequestCount();
    const res = await previewWithLlm({
      prompt:
        'GitHub issues. Use this token: github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
    });
    expect(res.status).toBe(400);
    const body = await res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('secret_in_prompt');
    expect(body.error.message).not.toContain('github_pat_');
    expect(await fakeRequestCount()).toBe(before);
  });

  it('answers 503 llm_not_configured, saying how to set a key, when there is none', async () => {
    const res = await api('/v1/servers/preview', { as: alice, body: { prompt: 'weather' } });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      error: { code: 'llm_not_configured', message: expect.stringContaining('LLM_API_KEY') },
    });
  });
});

describe('POST /v1/servers/preview from a ServerSpec', () => {
  const valid = {
    name: 'Hand made',
    slug: 'hand-made',
    egress: ['api.example.com'],
    tools: [
      {
        name: 'ping',
        description: 'Ping',
        inputSchema: { type: 'object' },
        annotations: { readOnlyHint: true },
        http: { method: 'GET', url: 'https://api.example.com/ping' },
      },
    ],
  };

  it('returns the normalized spec with its scopes', async () => {
    const res = await api('/v1/servers/preview', { as: alice, body: { spec: valid } });
    expect(res.status).toBe(200);
    const body = await res.json<PreviewBody>();
    expect(body).toMatchObject({ source: 'spec', issues: [], scopes: ['mcp:read'] });
    expect(body.spec).toMatchObject({ visibility: 'private', secrets: [] });
  });

  it('refuses an invalid spec with 422 invalid_spec naming each field path', async () => {
    const bad = { ...valid, egress: [], tools: [{ ...valid.tools[0], name: 'bad name' }] };
    const res = await api('/v1/servers/preview', { as: alice, body: { spec: bad } });
    expect(res.status).toBe(422);
    const body = await res.json<{ error: { code: string; issues: { path: string }[] } }>();
    expect(body.error.code).toBe('invalid_spec');
    expect(body.error.issues.map((i) => i.path)).toEqual(['tools.0.name', 'tools.0.http.url']);
  });
});

describe('POST /v1/servers/preview input', () => {
  it('requires exactly one source (422 validation_failed)', async () => {
    const res = await api('/v1/servers/preview', {
      as: alice,
      body: { prompt: 'x', openapi: 'y' },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('requires a signed-in user (401 unauthenticated)', async () => {
    const res = await api('/v1/servers/preview', { body: { prompt: 'x' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });
});

describe('GET /v1/slugs/:slug', () => {
  it.each([
    ['fresh-slug-123', { available: true }],
    ['login', { available: false, reason: 'reserved' }],
    ['Not_Valid', { available: false, reason: 'invalid' }],
  ])('reports %s', async (slug, expected) => {
    const res = await api(`/v1/slugs/${slug}`, { as: alice });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ slug, ...expected });
  });
});
