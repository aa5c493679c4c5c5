import { describe, expect, it } from 'vitest';
import { parseResource, toolsetOfResource } from './resource';

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

describe('parseResource for a toolset (issue 14)', () => {
  const toolset = 'https://mcp.example.com/weather/alerts/mcp';

  it.each([
    'https://mcp.example.com/weather/alerts/mcp',
    'https://mcp.example.com/weather/alerts/mcp/',
    'https://mcp.example.com/weather/alerts',
    'https://mcp.example.com/weather/alerts/',
    'HTTPS://MCP.EXAMPLE.COM/weather/alerts/mcp',
  ])('maps %s to the toolset URL', (r) => {
    expect(parseResource(r, RUNNER)).toEqual({
      slug: 'weather',
      toolset: 'alerts',
      canonical: toolset,
    });
  });

  it.each([
    ['a path below the toolset', 'https://mcp.example.com/weather/alerts/mcp/x'],
    ['an invalid toolset name', 'https://mcp.example.com/weather/Alerts/mcp'],
    ['"mcp" twice', 'https://mcp.example.com/weather/mcp/mcp'],
  ])('refuses %s', (_, r) => expect(parseResource(r, RUNNER)).toBeUndefined());
});

describe('toolsetOfResource', () => {
  it('names the toolset of a toolset URL and nothing for a whole server', () => {
    expect(toolsetOfResource('https://mcp.example.com/weather/alerts/mcp')).toBe('alerts');
    expect(toolsetOfResource('https://mcp.example.com/weather/mcp')).toBeUndefined();
    expect(toolsetOfResource('https://auth.example.com/v1')).toBeUndefined();
  });
});
