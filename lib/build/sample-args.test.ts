import { describe, expect, it } from 'vitest';
import { sampleArgs } from './sample-args';

describe('sampleArgs', () => {
  it('uses examples, then defaults, then enum values for required properties', () => {
    expect(
      sampleArgs({
        type: 'object',
        properties: {
          city: { type: 'string', examples: ['Berlin'] },
          days: { type: 'integer', default: 3 },
          unit: { type: 'string', enum: ['c', 'f'] },
        },
        required: ['city', 'days', 'unit'],
      }),
    ).toEqual({ city: 'Berlin', days: 3, unit: 'c' });
  });

  it('includes optional properties only when they offer an example', () => {
    expect(
      sampleArgs({
        type: 'object',
        properties: {
          q: { type: 'string', examples: ['moat'] },
          page: { type: 'integer', default: 1 },
        },
      }),
    ).toEqual({ q: 'moat' });
  });

  it('fills required properties without examples by type and format', () => {
    expect(
      sampleArgs({
        type: 'object',
        properties: {
          n: { type: 'number', minimum: 5 },
          when: { type: 'string', format: 'date' },
          nested: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
          title: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
        },
        required: ['n', 'when', 'nested', 'title'],
      }),
    ).toEqual({ n: 5, when: '2025-01-01', nested: { id: 1 }, title: 'example' });
  });
});
