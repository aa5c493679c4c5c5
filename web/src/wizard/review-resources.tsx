// Wizard step 2, beside the tools: the proposal's resources, resource templates and prompts —
// listed with what each one is, the name and description editable, each removable. The review
// step validates them with the rest of the spec (issue paths `resources.N.name` etc.).
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import { Field } from '../ui';

export type Primitives = Pick<ServerSpecInput, 'resources' | 'resourceTemplates' | 'prompts'>;
type Kind = keyof Primitives;
type Item = { name: string; description?: string | undefined };

export function primitivesOf(spec: ServerSpecInput): Primitives {
  return {
    ...(spec.resources ? { resources: spec.resources } : {}),
    ...(spec.resourceTemplates ? { resourceTemplates: spec.resourceTemplates } : {}),
    ...(spec.prompts ? { prompts: spec.prompts } : {}),
  };
}

const HEADINGS: Record<Kind, string> = {
  resources: 'Resources',
  resourceTemplates: 'Resource templates',
  prompts: 'Prompts',
};

/** The line that says what an item is: its URI, URI template or arguments. */
function summary(kind: Kind, item: unknown): string {
  if (kind === 'resources') {
    const r = item as NonNullable<Primitives['resources']>[number];
    return `${r.uri} · ${r.mimeType}${r.blob !== undefined ? ' · binary' : ''}`;
  }
  if (kind === 'resourceTemplates') {
    const t = item as NonNullable<Primitives['resourceTemplates']>[number];
    return `${t.uriTemplate} · ${t.http.method} ${t.http.url}`;
  }
  const p = item as NonNullable<Primitives['prompts']>[number];
  const args = (p.arguments ?? []).map((a) => (a.required ? a.name : `${a.name}?`));
  return `${p.messages.length} message${p.messages.length === 1 ? '' : 's'}${args.length ? ` · arguments: ${args.join(', ')}` : ''}`;
}

export function ReviewResources(props: {
  value: Primitives;
  onChange: (next: Primitives) => void;
  issueFor: (path: string) => string | undefined;
}) {
  const kinds = (Object.keys(HEADINGS) as Kind[]).filter((k) => (props.value[k]?.length ?? 0) > 0);
  if (kinds.length === 0) return null;
  const edit = (kind: Kind, i: number, patch: Partial<Item>) =>
    props.onChange({
      ...props.value,
      [kind]: (props.value[kind] as Item[]).map((item, j) =>
        j === i ? { ...item, ...patch } : item,
      ),
    });
  const remove = (kind: Kind, i: number) =>
    props.onChange({
      ...props.value,
      [kind]: (props.value[kind] as Item[]).filter((_, j) => j !== i),
    });
  return (
    <>
      {kinds.map((kind) => (
        <section key={kind} aria-label={HEADINGS[kind]}>
          <h2>
            {HEADINGS[kind]} <span className="muted">({props.value[kind]!.length})</span>
          </h2>
          <ol className="tool-list">
            {(props.value[kind] as Item[]).map((item, i) => {
              const id = `${kind}-${i}`;
              return (
                <li key={id} className="card tool" data-testid={`review-${kind}`}>
                  <div className="tool-head">
                    <code>{summary(kind, item)}</code>
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={`Remove ${item.name}`}
                      onClick={() => remove(kind, i)}
                    >
                      Remove
                    </button>
                  </div>
                  <Field label="Name" id={`${id}-name`} error={props.issueFor(`${kind}.${i}.name`)}>
                    <input
                      id={`${id}-name`}
                      value={item.name}
                      onChange={(e) => edit(kind, i, { name: e.target.value })}
                    />
                  </Field>
                  <Field
                    label="Description"
                    id={`${id}-description`}
                    error={props.issueFor(`${kind}.${i}.description`)}
                  >
                    <textarea
                      id={`${id}-description`}
                      rows={2}
                      value={item.description ?? ''}
                      onChange={(e) => edit(kind, i, { description: e.target.value || undefined })}
                    />
                  </Field>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
    </>
  );
}
