import { describe, expect, it } from 'vitest';
import { parseResource } from './resource';

const RUNNER = 'https://mcp.example.com';
const canonical = 'https://mcp.example.com/weather/mcp';

describe('parseResource (RFC 8707)', () => {
  it.each([
    'https://mcp.example.com/weather/mcp',
    'https://mcp.example.com/weather/mcp/',
    'https://mcp.example.com/weather',
    'https://mcp.example.com/weather/',
    'HTTPS://MCP.EXAMPLE.COM/weather/mcp',
    'https://mcp.example.com:443/weather/mcp',
  ])('maps %s to the canonical URL', (r) => {
    expect(parseResource(r, RUNNER)).toEqual({ slug: 'weather', canonical });
  });

  it.each([
    ['the bare origin', 'https://mcp.example.com'],
    ['the origin with a slash', 'https://mcp.example.com/'],
    ['another origin', 'https://evil.example/weather/mcp'],
    ['http instead of https', 'http://mcp.example.com/weather/mcp'],
    ['a query', 'https://mcp.example.com/weather/mcp?x=1'],
    ['a fragment', 'https://mcp.example.com/weather/mcp#x'],
    ['a deeper path', 'https://mcp.example.com/weather/mcp/tools'],
    ['credentials', 'https://u:p@mcp.example.com/weather/mcp'],
    ['an invalid slug', 'https://mcp.example.com/We_ather/mcp'],
    ['not a URL', 'weather'],
  ])('refuses %s', (_, r) => expect(parseResource(r, RUNNER)).toBeUndefined());
});
