import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../../scripts/fake-llm.mjs';
import { ServerSpecSchema } from '../spec/server-spec';
import { LlmError, llmConfigFrom } from './provider';
import { findCredential } from './secret-scan';
import { PromptRejected, extractJson, specFromPrompt } from './spec-from-prompt';

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(() => fake.close());

const config = (provider: 'anthropic' | 'openai') =>
  llmConfigFrom({ LLM_PROVIDER: provider, LLM_API_KEY: 'test-key', LLM_BASE_URL: fake.url });

describe('specFromPrompt', () => {
  it('turns a prompt into a valid spec through the Anthropic Messages API', async () => {
    const before = fake.received.length;
    const { spec, rounds } = await specFromPrompt(
      config('anthropic'),
      'A server that looks up GitHub issues and can comment on them',
    );
    expect(rounds).toBe(1);
    expect(ServerSpecSchema.safeParse(spec).success).toBe(true);
    expect(spec.tools.map((t) => t.name)).toContain('comment_on_issue');
    expect(spec.tools.find((t) => t.name === 'list_issues')?.scopes).toEqual(['mcp:read']);
    expect(fake.received[before]).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
    });
  });

  it('works with the OpenAI-compatible chat API and applies the requested name and slug', async () => {
    const { spec } = await specFromPrompt(config('openai'), 'weather forecasts', {
      name: 'My Weather',
      slug: 'my-weather',
    });
    expect(spec).toMatchObject({ name: 'My Weather', slug: 'my-weather' });
    expect(fake.received.at(-1)).toMatchObject({ provider: 'openai' });
  });

  it('repairs an invalid first answer with one more round carrying the validation errors', async () => {
    const before = fake.received.length;
    const { spec, rounds, warnings } = await specFromPrompt(
      config('anthropic'),
      'weather [fake:invalid-first]',
    );
    expect(rounds).toBe(2);
    expect(spec.slug).toBe('weather');
    expect(warnings[0]).toContain('repaired');
    const repair = fake.received[before + 1]!.messages as { role: string; content: string }[];
    expect(repair).toHaveLength(3);
    expect(repair[2]!.content).toContain('tools:');
  });

  it('fails with llm_invalid_answer and the issues after a failed repair round', async () => {
    const err = await specFromPrompt(config('openai'), 'x [fake:always-invalid]').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({
      code: 'llm_invalid_answer',
      details: { issues: expect.any(Array) },
    });
  });

  it('refuses a prompt holding a credential before sending anything', async () => {
    const before = fake.received.length;
    const err = await specFromPrompt(
      config('anthropic'),
      'GitHub issues, my token is ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PromptRejected);
    expect((err as Error).message).toContain('a GitHub token');
    expect((err as Error).message).not.toContain('ghp_');
    expect(fake.received.length).toBe(before);
  });

  it('reports an unreachable model API as llm_unavailable', async () => {
    const cfg = llmConfigFrom({ LLM_API_KEY: 'k', LLM_BASE_URL: 'http://127.0.0.1:9' });
    await expect(specFromPrompt(cfg, 'weather')).rejects.toMatchObject({ code: 'llm_unavailable' });
  });
});

describe('llmConfigFrom', () => {
  it('says how to configure a key when none is set', () => {
    expect(() => llmConfigFrom({})).toThrow(
      expect.objectContaining({ code: 'llm_not_configured' }),
    );
    expect(() => llmConfigFrom({})).toThrow(/LLM_API_KEY/);
  });

  it('refuses an unknown provider', () => {
    expect(() => llmConfigFrom({ LLM_PROVIDER: 'mystery', LLM_API_KEY: 'k' })).toThrow(/anthropic/);
  });
});

describe('findCredential', () => {
  it.each([
    ['sk-ant-api03-abcdefghijklmnopqrstuvwxyz', 'an Anthropic API key'],
    ['key sk-proj-abcdefghijklmnopqrstuvwx', 'an OpenAI API key'],
    ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJlLXZhbHVl', 'a JSON Web Token'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE', 'a private key'],
    ['Authorization: Bearer abcdefghijklmnopqrstuvwxyz123', 'a bearer token'],
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key'],
    ['use api_key=9f8e7d6c5b4a39281706f5e4d3c2b1a0', 'a credential assignment'],
    ['sk_live_51HqLyjWDarjtT1zdp7dc', 'a Stripe key'],
  ])('flags %s as %s', (text, kind) => {
    expect(findCredential(text)).toBe(kind);
  });

  it('lets an ordinary description through', () => {
    expect(
      findCredential(
        'A server that looks up GitHub issues and comments; it needs a token with the repo scope',
      ),
    ).toBeUndefined();
  });
});

describe('extractJson', () => {
  it('reads a fenced JSON block inside prose', () => {
    expect(extractJson('Sure!\n```json\n{"a":1}\n```\nDone.')).toEqual({ a: 1 });
  });
});
