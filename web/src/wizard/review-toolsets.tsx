// Wizard step 2, beside the tools: the proposed toolsets (issue 14; from the OpenAPI tags, see
// lib/openapi/toolset-proposal.ts). Each becomes its own MCP URL with only its tools. The owner
// renames and describes them, moves tools between them and removes them. Tools are held by their
// row on the review step, so renaming or leaving out a tool there carries over here.
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import type { Toolset } from '../../../lib/spec/toolsets';
import { Field } from '../ui';
import type { Draft } from './tool-draft';

type ToolsetInput = NonNullable<ServerSpecInput['toolsets']>[number];

/** A toolset as the review step edits it: `tools` are rows of the tool list, not names. */
export type ToolsetDraft = Omit<ToolsetInput, 'tools'> & { tools: number[] };

export function toToolsetDrafts(spec: ServerSpecInput): ToolsetDraft[] {
  const row = new Map(spec.tools.map((t, i) => [t.name, i]));
  return (spec.toolsets ?? []).map((t) => ({
    ...t,
    tools: t.tools.map((n) => row.get(n)).filter((i): i is number => i !== undefined),
  }));
}

/** The spec's `toolsets`: included tools by their current names; a toolset left empty is dropped. */
export function toolsetsOf(drafts: ToolsetDraft[], tools: Draft[]): Toolset[] | undefined {
  const out = drafts
    .map((t) => ({
      ...t,
      tools: t.tools.filter((i) => tools[i]?.include).map((i) => tools[i]!.name),
    }))
    .filter((t) => t.tools.length > 0);
  return out.length > 0 ? (out as Toolset[]) : undefined;
}

export function ReviewToolsets(props: {
  value: ToolsetDraft[];
  tools: Draft[];
  onChange: (next: ToolsetDraft[]) => void;
  issueFor: (path: string) => string | undefined;
}) {
  if (props.value.length === 0) return null;
  const edit = (i: number, patch: Partial<ToolsetDraft>) =>
    props.onChange(props.value.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  const move = (tool: number, from: number, to: number) =>
    props.onChange(
      props.value.map((t, j) =>
        j === from
          ? { ...t, tools: t.tools.filter((x) => x !== tool) }
          : j === to
            ? { ...t, tools: [...t.tools, tool] }
            : t,
      ),
    );
  return (
    <section aria-label="Toolsets">
      <h2>
        Toolsets <span className="muted">({props.value.length})</span>
      </h2>
      <p className="muted small">
        Each toolset is served at its own URL,{' '}
        <code>
          …/{'{slug}'}/{'{toolset}'}/mcp
        </code>
        , with only its tools and its own consent: install just the part of the API a client needs.
      </p>
      <ol className="tool-list">
        {props.value.map((t, i) => {
          const id = `toolset-${i}`;
          const included = t.tools.filter((x) => props.tools[x]?.include);
          return (
            <li key={id} className="card tool" data-testid="review-toolset">
              <div className="tool-head">
                <code>
                  {t.name} · {included.length} tool{included.length === 1 ? '' : 's'}
                  {included.length === 0 ? ' · empty, not published' : ''}
                </code>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`Remove toolset ${t.name}`}
                  onClick={() => props.onChange(props.value.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </div>
              <Field
                label="Name (in the URL)"
                id={`${id}-name`}
                error={props.issueFor(`toolsets.${i}.name`)}
              >
                <input
                  id={`${id}-name`}
                  value={t.name}
                  onChange={(e) => edit(i, { name: e.target.value })}
                />
              </Field>
              <Field label="Title" id={`${id}-title`} error={props.issueFor(`toolsets.${i}.title`)}>
                <input
                  id={`${id}-title`}
                  value={t.title ?? ''}
                  onChange={(e) => edit(i, { title: e.target.value || undefined })}
                />
              </Field>
              <Field
                label="Description (the MCP instructions at its URL)"
                id={`${id}-description`}
                error={props.issueFor(`toolsets.${i}.description`)}
              >
                <textarea
                  id={`${id}-description`}
                  rows={2}
                  value={t.description ?? ''}
                  onChange={(e) => edit(i, { description: e.target.value || undefined })}
                />
              </Field>
              <ul className="small">
                {t.tools.map((tool) => (
                  <li key={tool}>
                    <code>{props.tools[tool]?.name}</code>
                    {!props.tools[tool]?.include && <span className="muted"> (left out)</span>}{' '}
                    <select
                      aria-label={`Move ${props.tools[tool]?.name} to`}
                      value={i}
                      onChange={(e) => move(tool, i, Number(e.target.value))}
                    >
                      {props.value.map((other, j) => (
                        <option key={j} value={j}>
                          {j === i ? 'Move to…' : other.name}
                        </option>
                      ))}
                    </select>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
