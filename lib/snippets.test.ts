import { describe, expect, it } from 'vitest';
import { installSnippets, toolsetSnippets, toolsetUrl } from './snippets';

describe('installSnippets', () => {
  const url = 'https://run.example.com/weather/mcp';
  const snippets = installSnippets('Weather', 'weather', url);

  it('covers Claude, Claude Code, Cursor, VS Code and the MCP Inspector', () => {
    expect(snippets.map((s) => s.id)).toEqual([
      'claude',
      'claude-code',
      'cursor',
      'vscode',
      'inspector',
    ]);
  });

  it('gives Claude Code the http transport command', () => {
    expect(snippets.find((s) => s.id === 'claude-code')?.code).toBe(
      `claude mcp add --transport http weather ${url}`,
    );
  });

  it('encodes the Cursor deeplink config as base64 JSON of the URL', () => {
    const link = new URL(snippets.find((s) => s.id === 'cursor')!.link!);
    expect(link.searchParams.get('name')).toBe('weather');
    expect(JSON.parse(atob(link.searchParams.get('config')!))).toEqual({ url });
  });

  it('writes VS Code mcp.json with type http', () => {
    expect(JSON.parse(snippets.find((s) => s.id === 'vscode')!.code)).toEqual({
      servers: { weather: { type: 'http', url } },
    });
  });
});

describe('toolsetSnippets', () => {
  const server = { name: 'GitHub', slug: 'github', url: 'https://run.example.com/github/mcp' };
  const snippets = toolsetSnippets(server, { name: 'issues', title: 'Issues' });

  it('points every client at the toolset URL under its own entry name', () => {
    expect(toolsetUrl(server.url, 'issues')).toBe('https://run.example.com/github/issues/mcp');
    expect(snippets.find((s) => s.id === 'claude-code')?.code).toBe(
      'claude mcp add --transport http github-issues https://run.example.com/github/issues/mcp',
    );
    expect(JSON.parse(snippets.find((s) => s.id === 'vscode')!.code)).toEqual({
      servers: {
        'github-issues': { type: 'http', url: 'https://run.example.com/github/issues/mcp' },
      },
    });
  });
});
