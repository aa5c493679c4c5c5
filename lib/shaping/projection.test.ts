import { describe, expect, it } from 'vitest';
import { ToolSchema } from '../spec/http-tool';
import { ResponseShapingSchema } from '../spec/response-shaping';
import { getPath, parsePath, pathProblem } from './json-path';
import { project } from './projection';

const repo = {
  total_count: 2,
  items: [
    { id: 1, full_name: 'a/x', owner: { login: 'a' }, labels: [{ name: 'bug' }, { name: 'ui' }] },
    { id: 2, full_name: 'b/y', owner: { login: 'b' }, labels: [] },
  ],
  'content-type': 'json',
};

describe('the path language', () => {
  it('reads members, indexes from either end, wildcards and quoted names', () => {
    expect(getPath(repo, 'items[0].owner.login')).toBe('a');
    expect(getPath(repo, 'items[-1].id')).toBe(2);
    expect(getPath(repo, 'items[*].full_name')).toEqual(['a/x', 'b/y']);
    expect(getPath(repo, 'items[0].labels[*].name')).toEqual(['bug', 'ui']);
    expect(getPath(repo, '["content-type"]')).toBe('json');
  });

  it('yields undefined for a path that finds nothing, never throws', () => {
    expect(getPath(repo, 'items[5].id')).toBeUndefined();
    expect(getPath(repo, 'total_count.x')).toBeUndefined();
    expect(getPath(repo, 'constructor')).toBeUndefined();
  });

  it('rejects malformed paths with the character that is wrong', () => {
    expect(pathProblem('items..id')).toBe('unexpected "." at character 7');
    expect(pathProblem('items[x]')).toMatch(/expected \[n\], \[\*\] or \["name"\] at character 6/);
    expect(pathProblem('items.')).toBe('a path may not end with "."');
    expect(pathProblem('')).toBe('a path may not be empty');
    expect(parsePath('a[*].b')).toEqual([
      { kind: 'key', name: 'a' },
      { kind: 'each' },
      { kind: 'key', name: 'b' },
    ]);
  });
});

describe('project', () => {
  it('selects a part and picks and renames fields of each element', () => {
    const out = project(repo, {
      select: 'items',
      fields: { id: 'id', name: 'full_name', owner: 'owner.login', labels: 'labels[*].name' },
    });
    expect(out).toEqual([
      { id: 1, name: 'a/x', owner: 'a', labels: ['bug', 'ui'] },
      { id: 2, name: 'b/y', owner: 'b', labels: [] },
    ]);
  });

  it('picks fields of an object response and leaves out fields that are missing', () => {
    expect(project(repo, { fields: { total: 'total_count', nope: 'missing.path' } })).toEqual({
      total: 2,
    });
  });

  it('is validated in the spec: a bad path names its field', () => {
    const r = ResponseShapingSchema.safeParse({ projection: { fields: { id: 'a..b' } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['projection', 'fields', 'id']);
  });

  it('refuses pagination whose argument the tool does not accept', () => {
    const r = ToolSchema.safeParse({
      name: 'list',
      description: 'List',
      inputSchema: { type: 'object', properties: { page: { type: 'integer' } } },
      http: { method: 'GET', url: 'https://api.example.com/x?page={page}' },
      response: { pagination: { style: 'cursor', param: 'cursor', next: 'next' } },
    });
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['response.pagination.param', 'cursor is not a property of inputSchema'],
    ]);
  });
});
