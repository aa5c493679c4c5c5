import { describe, expect, it } from 'vitest';
import { describeScope, formatScope, parseScope, resolveScopes } from './scopes';

describe('scopes', () => {
  it('parses distinct tokens and refuses malformed ones (RFC 6749 §3.3)', () => {
    expect(parseScope('mcp:read  mcp:read mcp:write')).toEqual(['mcp:read', 'mcp:write']);
    expect(parseScope(undefined)).toEqual([]);
    expect(parseScope('bad"scope')).toBeUndefined();
    expect(parseScope('bad\\scope')).toBeUndefined();
  });

  it('gives the server’s full set when nothing was requested', () => {
    expect(resolveScopes([], ['mcp:write', 'mcp:read'])).toEqual({
      ok: true,
      scopes: ['mcp:read', 'mcp:write'],
    });
  });

  it('allows offline_access and refuses scopes the server does not offer', () => {
    expect(resolveScopes(['offline_access', 'mcp:read'], ['mcp:read'])).toEqual({
      ok: true,
      scopes: ['mcp:read', 'offline_access'],
    });
    expect(resolveScopes(['mcp:admin'], ['mcp:read'])).toEqual({
      ok: false,
      unknown: ['mcp:admin'],
    });
  });

  it('formats sorted and describes in plain words', () => {
    expect(formatScope(['mcp:write', 'mcp:read'])).toBe('mcp:read mcp:write');
    expect(describeScope('mcp:tools:get_forecast')).toBe('Use the tool “get_forecast”');
  });
});
