import { beforeAll, describe, expect, it } from 'vitest';
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import { REDACTED, secretRedactor } from '../src/tools/secret-redaction';
import { callTool, initialize } from './support/mcp';
import { downstream, publishServer, setSecret, uniqueSlug, weatherSpec } from './support/servers';
import { SECRET_FORMS, type SecretForm } from './support/secret-forms';
import { mintToken } from './support/tokens';

// Characters that JSON, URLs and HTML each escape, a non-ASCII one and an astral one.
const SECRET = 'sk/live"TOP\\SECRET+ü 42&<x>😀';
const PLAIN_SECRET = 'sk_plain_ABCdef_123456';
type ToolInput = ServerSpecInput['tools'][number];

function reflect(name: string, secret: string, extra: Partial<ToolInput> = {}): ToolInput {
  return {
    name,
    description: name,
    inputSchema: {
      type: 'object',
      properties: { form: { type: 'string' }, status: { type: 'string' } },
    },
    annotations: { readOnlyHint: true },
    http: {
      method: 'POST',
      url: downstream('/reflect?tag=redaction&form={form}&status={status}'),
      body: { secret: `{{secrets.${secret}}}` },
    },
    ...extra,
  };
}

let slug: string;
let token: string;
let sessionId: string;

beforeAll(async () => {
  slug = uniqueSlug('redact');
  const spec = weatherSpec(slug, { secrets: [{ name: 'API_KEY' }, { name: 'PLAIN_KEY' }] });
  spec.tools.push(
    reflect('reflect', 'API_KEY'),
    reflect('reflect_plain', 'PLAIN_KEY'),
    reflect('reflect_structured', 'API_KEY', {
      outputSchema: { type: 'object', properties: { value: { type: 'string' } } },
    }),
  );
  const server = await publishServer(spec);
  await setSecret(server, 'API_KEY', SECRET);
  await setSecret(server, 'PLAIN_KEY', PLAIN_SECRET);
  token = await mintToken(slug);
  sessionId = await initialize(slug, token);
});

const call = (name: string, args: Record<string, unknown>) =>
  callTool(slug, token, sessionId, name, args);

const forms = Object.keys(SECRET_FORMS) as SecretForm[];

describe('secret redaction in tool results', () => {
  it.each(forms)('redacts the secret echoed as %s from a result', async (form) => {
    const { message } = await call('reflect', { form });
    const text = JSON.stringify(message.result);
    expect(message.result?.isError).toBeUndefined();
    expect(text).toContain(REDACTED);
    expect(text).toContain('echo');
    expect((message.result?.content as { text: string }[])[0]!.text).not.toContain(
      SECRET_FORMS[form](SECRET),
    );
  });

  it.each(forms)('redacts the secret echoed as %s from an error snippet', async (form) => {
    const { message } = await call('reflect', { form, status: '400' });
    expect(message.result?.isError).toBe(true);
    const text = (message.result?.content as { text: string }[])[0]!.text;
    expect(text).toMatch(/^The API answered 400 Bad Request\./);
    expect(text).toContain(REDACTED);
    expect(text).not.toContain(SECRET_FORMS[form](SECRET));
  });

  it('redacts JSON-escaped secrets from structuredContent', async () => {
    const { message } = await call('reflect_structured', { form: 'jsonAllEscaped' });
    expect(message.result?.structuredContent).toEqual({ value: REDACTED, note: 'echo' });
  });

  it('withholds an image that contains the secret', async () => {
    const { message } = await call('reflect', { form: 'image' });
    expect(message.result?.content).toEqual([
      { type: 'text', text: 'The image was withheld: it contains a secret.' },
    ]);
  });

  it('redacts the secret from the status line and the content type the API sent', async () => {
    const reason = await call('reflect_plain', { form: 'reason', status: '400' });
    const mime = await call('reflect_plain', { form: 'mime' });
    for (const { message } of [reason, mime]) {
      const text = JSON.stringify(message.result);
      expect(text).toContain(REDACTED);
      expect(text).not.toContain(PLAIN_SECRET);
    }
  });
});

describe('secretRedactor', () => {
  const redact = secretRedactor(new Map([['API_KEY', SECRET]]));

  it.each(forms)('finds the %s form inside surrounding text', (form) => {
    const encoded = SECRET_FORMS[form](SECRET);
    const out = redact(`before ${encoded} after`);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain(encoded);
  });

  it('leaves text without a secret unchanged, and ignores values too short to redact', () => {
    const text = 'sk/live is a prefix, TOP and 42 are words; c2svbGl2ZQ== is base64 of it';
    expect(redact(text)).toBe(text);
    expect(secretRedactor(new Map([['PIN', '123']]))('code 123')).toBe('code 123');
  });
});
