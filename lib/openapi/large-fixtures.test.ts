import { describe, expect, it } from 'vitest';
import {
  GITHUB_OPENAPI_TEXT,
  GITHUB_OPERATION_COUNT,
  SYNTHETIC_OPERATION_COUNT,
  syntheticOpenApiText,
} from '../../test/fixtures/large-openapi';
import { openApiToServerSpec } from './convert';

describe('large OpenAPI fixtures', () => {
  // Seconds on a loaded machine: parsing and dereferencing 1.1 MB.
  it('lists every operation of the trimmed GitHub description', { timeout: 60_000 }, async () => {
    const { operations, spec } = await openApiToServerSpec(GITHUB_OPENAPI_TEXT);
    expect(operations).toHaveLength(GITHUB_OPERATION_COUNT);
    expect(operations.filter((o) => o.supported).length).toBeGreaterThan(1000);
    expect(spec.tools.length).toBeGreaterThan(0);
  });

  it('lists all 600 operations of the synthetic document', async () => {
    const { operations } = await openApiToServerSpec(syntheticOpenApiText());
    expect(operations).toHaveLength(SYNTHETIC_OPERATION_COUNT);
    expect(operations.every((o) => o.supported)).toBe(true);
  });
});
