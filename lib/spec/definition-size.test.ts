import { describe, expect, it } from 'vitest';
import { definitionSizes, estimateTokens, toolDefinitionTokens } from './definition-size';

const tool = (name: string, description = 'Does a thing') => ({
  name,
  description,
  inputSchema: { type: 'object' as const, properties: { id: { type: 'string' } } },
});

describe('estimateTokens', () => {
  it('counts one token per four characters, rounded up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });
});

describe('definitionSizes', () => {
  it('sizes each tool as tools/list lists it, each toolset as the sum of its tools, and the total', () => {
    const spec = {
      tools: [tool('a'), tool('b', 'x'.repeat(400))],
      toolsets: [{ name: 'only-b', tools: ['b'] }],
    };
    const sizes = definitionSizes(spec);
    const a = toolDefinitionTokens(spec.tools[0]!);
    const b = toolDefinitionTokens(spec.tools[1]!);
    expect(b - a).toBe(97); // 388 more characters of description
    expect(sizes.tools).toEqual([
      { name: 'a', tokens: a },
      { name: 'b', tokens: b },
    ]);
    expect(sizes.toolsets).toEqual([{ name: 'only-b', tools: 1, tokens: b }]);
    expect(sizes.total).toBe(a + b);
  });
});
