import { describe, expect, it } from 'vitest';
import { toolSignatures } from './code-signatures';
import { modeReason, resolveMode, SEARCH_MODE_THRESHOLD } from './discovery-mode';
import { listedToolNames } from './discovery-tools';
import type { Tool } from './http-tool';

const tools = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `t${i}` }));

describe('resolveMode', () => {
  it('lists every tool up to the threshold and searches past it', () => {
    expect(resolveMode({ tools: tools(SEARCH_MODE_THRESHOLD) })).toBe('tools');
    expect(resolveMode({ tools: tools(SEARCH_MODE_THRESHOLD + 1) })).toBe('search');
  });

  it("keeps the owner's choice whatever the count", () => {
    expect(resolveMode({ mode: 'tools', tools: tools(600) })).toBe('tools');
    expect(resolveMode({ mode: 'code', tools: tools(1) })).toBe('code');
  });

  it("gives a toolset its own mode, else the server's, else its own count", () => {
    const server = { tools: tools(600) };
    expect(resolveMode(server, { tools: tools(5) })).toBe('tools');
    expect(resolveMode({ ...server, mode: 'code' }, { tools: tools(5) })).toBe('code');
    expect(resolveMode({ ...server, mode: 'code' }, { mode: 'search', tools: tools(5) })).toBe(
      'search',
    );
  });

  it('says why in words', () => {
    expect(modeReason({ tools: tools(600) })).toBe('search (600 tools, more than 40)');
    expect(modeReason({ tools: tools(1) })).toBe('tools (1 tool, at most 40)');
    expect(modeReason({ mode: 'code', tools: tools(1) })).toBe('code (set on the server)');
  });
});

describe('listedToolNames', () => {
  it('names what tools/list shows in each mode', () => {
    const spec = { name: 'X', tools: tools(2) as Tool[] };
    expect(listedToolNames(spec)).toEqual(['t0', 't1']);
    expect(listedToolNames({ ...spec, mode: 'search' })).toEqual([
      'search_tools',
      'describe_tools',
      'call_tool',
    ]);
    expect(listedToolNames({ ...spec, mode: 'code' })).toEqual(['run_code']);
  });
});

describe('toolSignatures', () => {
  it('types arguments from the inputSchema: required, optional, enums, arrays, nested objects', () => {
    const tool = {
      name: 'list_issues',
      description: 'Lists issues\nSecond line',
      inputSchema: {
        type: 'object',
        properties: {
          repo: { type: 'string' },
          state: { enum: ['open', 'closed'] },
          labels: { type: 'array', items: { type: 'string' } },
          page: { type: ['integer', 'null'] },
          filter: { type: 'object', properties: { since: { type: 'string' } } },
        },
        required: ['repo'],
      },
    } as unknown as Tool;
    expect(toolSignatures([tool])).toBe(
      [
        'declare const tools: {',
        '  /** Lists issues */',
        '  list_issues(args: { repo: string; state?: "open" | "closed"; labels?: string[]; page?: number | null; filter?: { since?: string } }): Promise<any>;',
        '};',
      ].join('\n'),
    );
  });

  it('quotes names that are not identifiers and falls back to any for unknown shapes', () => {
    const tool = {
      name: 'get-thing',
      inputSchema: { type: 'object', properties: { x: { $ref: '#/x' } } },
    } as unknown as Tool;
    expect(toolSignatures([tool])).toContain('"get-thing"(args: { x?: any }): Promise<any>;');
  });
});
