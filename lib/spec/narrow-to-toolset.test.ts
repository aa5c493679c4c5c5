import { describe, expect, it } from 'vitest';
import { narrowToToolset } from './narrow-to-toolset';
import { serverScopes, ServerSpecSchema } from './server-spec';

const tool = (name: string, annotations: Record<string, boolean>) => ({
  name,
  description: name,
  inputSchema: { type: 'object' },
  annotations,
  http: { method: 'GET', url: `https://api.example.com/${name}` },
});

const spec = ServerSpecSchema.parse({
  name: 'Tracker',
  slug: 'tracker',
  description: 'All of the tracker',
  egress: ['api.example.com'],
  mode: 'search',
  tools: [
    tool('list_issues', { readOnlyHint: true }),
    tool('create_issue', {}),
    tool('delete_repo', { destructiveHint: true }),
  ],
  resources: [{ uri: 'doc://guide', name: 'guide', mimeType: 'text/plain', text: 'hi' }],
  prompts: [{ name: 'triage', messages: [{ role: 'user', text: 'Triage' }] }],
  toolsets: [
    {
      name: 'issues',
      title: 'Issues',
      description: 'Read and file issues',
      tools: ['create_issue', 'list_issues'],
      prompts: ['triage'],
    },
    { name: 'admin', tools: ['delete_repo'], mode: 'tools' },
  ],
});

describe('narrowToToolset', () => {
  it('keeps only the toolset tools, in its order, and the resources and prompts it names', () => {
    const issues = narrowToToolset(spec, 'issues')!;
    expect(issues.tools.map((t) => t.name)).toEqual(['create_issue', 'list_issues']);
    expect(issues.prompts?.map((p) => p.name)).toEqual(['triage']);
    expect(issues.resources).toEqual([]);
    expect(issues.toolsets).toBeUndefined();
  });

  it('uses the toolset description as instructions and names the server and the toolset', () => {
    const issues = narrowToToolset(spec, 'issues')!;
    expect(issues.description).toBe('Read and file issues');
    expect(issues.name).toBe('Tracker · Issues');
    expect(narrowToToolset(spec, 'admin')!.description).toBe('All of the tracker');
  });

  it("limits the scopes to the toolset's tools", () => {
    expect(serverScopes(narrowToToolset(spec, 'admin')!)).toEqual(['mcp:admin']);
    expect(serverScopes(narrowToToolset(spec, 'issues')!)).toEqual(['mcp:read', 'mcp:write']);
  });

  it("takes the toolset's mode, else the server's", () => {
    expect(narrowToToolset(spec, 'admin')!.mode).toBe('tools');
    expect(narrowToToolset(spec, 'issues')!.mode).toBe('search');
  });

  it('returns undefined for a toolset the server does not have', () => {
    expect(narrowToToolset(spec, 'billing')).toBeUndefined();
    expect(narrowToToolset({ ...spec, toolsets: undefined }, 'issues')).toBeUndefined();
  });
});
