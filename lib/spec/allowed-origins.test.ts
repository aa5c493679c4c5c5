import { describe, expect, it } from 'vitest';
import { AllowedOriginsSchema, OriginSchema } from './allowed-origins';
import { formatSpecIssues, ServerSpecSchema } from './server-spec';

const minimal = {
  name: 'Notes',
  slug: 'notes',
  egress: ['api.example.com'],
  tools: [
    {
      name: 'list_notes',
      description: 'List notes',
      inputSchema: { type: 'object' },
      http: { method: 'GET', url: 'https://api.example.com/notes' },
    },
  ],
};

describe('allowedOrigins', () => {
  it('accepts https origins with or without a port, and http on loopback hosts', () => {
    for (const o of [
      'https://app.example.com',
      'https://app.example.com:8443',
      'http://localhost:5173',
      'http://127.0.0.1:3000',
      'http://[::1]:8080',
    ]) {
      expect(OriginSchema.safeParse(o).success, o).toBe(true);
    }
  });

  it('refuses plain http on a public host, other schemes, paths, trailing slashes and case', () => {
    for (const o of [
      'http://app.example.com',
      'ftp://app.example.com',
      'https://app.example.com/',
      'https://app.example.com/path',
      'https://App.Example.com',
      'https://app.example.com:443',
      'app.example.com',
      '*',
      'null',
    ]) {
      expect(OriginSchema.safeParse(o).success, o).toBe(false);
    }
  });

  it('names the exact form to write when an origin is not in browser form', () => {
    const r = OriginSchema.safeParse('https://App.example.com/');
    expect(r.error?.issues[0]?.message).toContain('https://app.example.com');
  });

  it('refuses duplicates', () => {
    expect(AllowedOriginsSchema.safeParse(['https://a.example', 'https://a.example']).success).toBe(
      false,
    );
  });

  it('is an optional ServerSpec field, absent unless written', () => {
    expect(ServerSpecSchema.parse(minimal)).not.toHaveProperty('allowedOrigins');
    const spec = ServerSpecSchema.parse({
      ...minimal,
      allowedOrigins: ['https://app.example.com'],
    });
    expect(spec.allowedOrigins).toEqual(['https://app.example.com']);
  });

  it('reports a bad entry at its field path', () => {
    const r = ServerSpecSchema.safeParse({ ...minimal, allowedOrigins: ['http://evil.example'] });
    expect(formatSpecIssues(r.error!)[0]?.path).toBe('allowedOrigins.0');
  });
});
