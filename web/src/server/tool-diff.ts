// The tool diff between two versions of a server: added, removed and changed tools by name.
type ToolLike = { name: string } & Record<string, unknown>;
export type ToolChange = {
  name: string;
  change: 'added' | 'removed' | 'changed';
  fields: string[];
};

export function toolDiff(from: ToolLike[], to: ToolLike[]): ToolChange[] {
  const a = new Map(from.map((t) => [t.name, t]));
  const b = new Map(to.map((t) => [t.name, t]));
  const out: ToolChange[] = [];
  for (const [name, t] of b) {
    const old = a.get(name);
    if (!old) out.push({ name, change: 'added', fields: [] });
    else {
      const keys = new Set([...Object.keys(old), ...Object.keys(t)]);
      const fields = [...keys]
        .filter((k) => JSON.stringify(old[k]) !== JSON.stringify(t[k]))
        .sort();
      if (fields.length) out.push({ name, change: 'changed', fields });
    }
  }
  for (const name of a.keys()) if (!b.has(name)) out.push({ name, change: 'removed', fields: [] });
  return out.sort((x, y) => x.name.localeCompare(y.name));
}
