// Toolsets proposed from OpenAPI tags (issue 14): for a document with many operations, the
// selected tools are grouped by their operation's first tag (OpenAPI 3.1 §4.8.10 `tags`: "used
// for logical grouping of operations"), one toolset per tag, so a client can install only the
// part of a large API it needs. The owner edits the proposal on the review step.
import type { Toolset } from '../spec/toolsets';
import { TOOLSET_NAME_PATTERN } from '../spec/toolsets';
import { isObject, type OpenApiObject } from './document';

/** More usable operations than this (the default selection) make a document "large". */
export const TOOLSETS_FROM_OPERATIONS = 20;
/** ServerSpec allows 32 toolsets: past that the smallest groups go to `other`. */
export const MAX_PROPOSED_TOOLSETS = 32;
export const UNTAGGED_TOOLSET = 'other';

export type TaggedTool = { toolName: string; tags: unknown };

/** A tag → a toolset name (`^[a-z][a-z0-9-]{0,39}$`, never `mcp`): "Secret Scanning" → "secret-scanning". */
export function toolsetNameFor(tag: string): string {
  let name = tag
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // the accents NFKD split off
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(name)) name = name ? `t-${name}` : UNTAGGED_TOOLSET;
  name = name.slice(0, 40).replace(/-+$/, '');
  if (name === 'mcp') name = 'mcp-tools';
  return TOOLSET_NAME_PATTERN.test(name) ? name : UNTAGGED_TOOLSET;
}

/**
 * One toolset per first tag of the selected tools' operations, untagged ones in `other`, in the
 * order the tags first appear (the document's order). Undefined unless the document has more
 * than TOOLSETS_FROM_OPERATIONS usable operations and the tools fall under at least two tags:
 * a small API or a single group gains nothing from toolsets.
 */
export function proposeToolsets(
  doc: OpenApiObject,
  tools: TaggedTool[],
  usableOperations: number,
): Toolset[] | undefined {
  if (usableOperations <= TOOLSETS_FROM_OPERATIONS) return undefined;
  const described = new Map<string, string>();
  for (const t of Array.isArray(doc.tags) ? doc.tags : []) {
    if (isObject(t) && typeof t.name === 'string' && typeof t.description === 'string')
      described.set(t.name, t.description.trim());
  }
  // Group by normalised name (two tags may normalise alike), keeping the first tag as the title.
  const groups = new Map<string, { tag?: string; tools: string[] }>();
  for (const { toolName, tags } of tools) {
    const first = Array.isArray(tags)
      ? tags.find((t) => typeof t === 'string' && t.trim())
      : undefined;
    const tag = typeof first === 'string' ? first.trim() : undefined;
    const name = tag ? toolsetNameFor(tag) : UNTAGGED_TOOLSET;
    const group = groups.get(name) ?? { ...(tag ? { tag } : {}), tools: [] };
    group.tools.push(toolName);
    groups.set(name, group);
  }
  if (groups.size < 2) return undefined;

  let entries = [...groups.entries()];
  if (entries.length > MAX_PROPOSED_TOOLSETS) {
    const bySize = [...entries].sort((a, b) => b[1].tools.length - a[1].tools.length);
    const keep = new Set(
      bySize
        .filter(([n]) => n !== UNTAGGED_TOOLSET)
        .slice(0, MAX_PROPOSED_TOOLSETS - 1)
        .map(([n]) => n),
    );
    const rest = entries.filter(([n]) => !keep.has(n)).flatMap(([, g]) => g.tools);
    entries = [...entries.filter(([n]) => keep.has(n)), [UNTAGGED_TOOLSET, { tools: rest }]];
  }
  return entries.map(([name, g]) => {
    const description = g.tag ? described.get(g.tag) : undefined;
    return {
      name,
      ...(g.tag ? { title: g.tag.slice(0, 100) } : { title: 'Other' }),
      ...(description ? { description: description.slice(0, 2000) } : {}),
      tools: g.tools,
    };
  });
}
