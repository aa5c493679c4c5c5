// Wizard step 2: review the proposed tools (include, rename, describe, schema as JSON, scopes) and
// enter one credential per declared secret. Validated locally with the same ServerSpecSchema the
// API uses, so errors name the field before anything is sent.
import { useMemo, useState, type FormEvent } from 'react';
import {
  ServerSpecSchema,
  defaultToolScopes,
  formatSpecIssues,
  type ServerSpec,
  type ServerSpecInput,
} from '../../../lib/spec/server-spec';
import { sampleArgs } from '../../../lib/build/sample-args';
import { ErrorBox, Field, Spinner } from '../ui';
import type { Operation } from './describe-step';
import { primitivesOf, ReviewResources } from './review-resources';

export type BuildOptions = {
  sampleArgs: Record<string, Record<string, unknown>>;
  testWrites: string[];
};

type ToolInput = ServerSpecInput['tools'][number];
type Draft = {
  include: boolean;
  name: string;
  description: string;
  schema: string;
  scopes: string;
  args: string;
  testWrite: boolean;
  tool: ToolInput;
};

function toDraft(tool: ToolInput): Draft {
  return {
    include: true,
    name: tool.name,
    description: tool.description,
    schema: JSON.stringify(tool.inputSchema, null, 2),
    scopes: (tool.scopes?.length ? tool.scopes : defaultToolScopes(tool)).join(' '),
    args: JSON.stringify(sampleArgs(tool.inputSchema), null, 2),
    testWrite: false,
    tool,
  };
}

export function ReviewStep(props: {
  spec: ServerSpecInput;
  warnings: string[];
  previewIssues?: { path: string; message: string }[];
  operations?: Operation[];
  onReselect?: (operationIds: string[]) => Promise<void>;
  onBack: () => void;
  onConfirm: (spec: ServerSpec, secrets: Record<string, string>, options: BuildOptions) => void;
}) {
  const [drafts, setDrafts] = useState<Draft[]>(() => props.spec.tools.map(toDraft));
  const [visibility, setVisibility] = useState(props.spec.visibility ?? 'private');
  const [primitives, setPrimitives] = useState(() => primitivesOf(props.spec));
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState(false);
  const declared = props.spec.secrets ?? [];
  const [picked, setPicked] = useState<Set<string>>(
    () => new Set((props.operations ?? []).filter((o) => o.selected).map((o) => o.id)),
  );
  const [reselecting, setReselecting] = useState(false);
  const [reselectError, setReselectError] = useState<unknown>();
  const reselect = async () => {
    if (!props.onReselect) return;
    setReselecting(true);
    setReselectError(undefined);
    try {
      await props.onReselect([...picked]);
    } catch (err) {
      setReselectError(err);
      setReselecting(false);
    }
  };

  const edit = (i: number, patch: Partial<Draft>) =>
    setDrafts((cur) => cur.map((d, j) => (j === i ? { ...d, ...patch } : d)));

  const { spec, issues } = useMemo(() => {
    const schemaIssues: { path: string; message: string }[] = [];
    const tools: unknown[] = [];
    drafts.forEach((d, i) => {
      if (!d.include) return;
      let inputSchema: unknown;
      try {
        inputSchema = JSON.parse(d.schema);
      } catch (err) {
        schemaIssues.push({
          path: `tools.${i}.inputSchema`,
          message: `not valid JSON: ${(err as Error).message}`,
        });
      }
      try {
        const args: unknown = JSON.parse(d.args);
        if (typeof args !== 'object' || args === null || Array.isArray(args))
          throw new Error('not an object');
      } catch (err) {
        schemaIssues.push({
          path: `tools.${i}.args`,
          message: `test arguments must be a JSON object (${(err as Error).message})`,
        });
      }
      tools.push({
        ...d.tool,
        name: d.name,
        description: d.description,
        inputSchema,
        scopes: d.scopes.split(/\s+/).filter(Boolean),
      });
    });
    if (schemaIssues.length) return { spec: undefined, issues: schemaIssues };
    const parsed = ServerSpecSchema.safeParse({ ...props.spec, ...primitives, visibility, tools });
    if (parsed.success) return { spec: parsed.data, issues: [] };
    // Map issue paths on the included-tools array back to the rows on screen.
    const rows = drafts.map((d, i) => (d.include ? i : -1)).filter((i) => i >= 0);
    return {
      spec: undefined,
      issues: formatSpecIssues(parsed.error).map((p) => ({
        ...p,
        path: p.path.replace(/^tools\.(\d+)/, (_, n: string) => `tools.${rows[Number(n)] ?? n}`),
      })),
    };
  }, [drafts, visibility, primitives, props.spec]);

  const issueFor = (prefix: string) =>
    issues
      .filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`))
      .map((p) => p.message)
      .join('; ') || undefined;
  const missingSecrets = declared.filter((s) => !secrets[s.name]?.trim());

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!spec || missingSecrets.length) return;
    const included = drafts.filter((d) => d.include);
    props.onConfirm(spec, secrets, {
      sampleArgs: Object.fromEntries(
        included.map((d) => [d.name, JSON.parse(d.args) as Record<string, unknown>]),
      ),
      testWrites: included.filter((d) => d.testWrite).map((d) => d.name),
    });
  };

  const generalIssues = issues.filter(
    (p) => !/^(tools|resources|resourceTemplates|prompts)\.\d+\./.test(p.path),
  );
  return (
    <form onSubmit={submit} noValidate aria-label="Review tools">
      {props.warnings.length > 0 && (
        <div className="alert alert-warn" role="status">
          <strong>Notes from the preview</strong>
          <ul>
            {props.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <p>
        <strong>{props.spec.name}</strong> · <code>{props.spec.slug}</code> · calls{' '}
        {(props.spec.egress ?? []).map((h) => (
          <code key={h} className="code-tag">
            {h}
          </code>
        ))}
      </p>
      <Field
        label="Who may connect"
        id="visibility"
        hint="Private: only you. Organization: its members. Public: any signed-in user."
      >
        <select
          id="visibility"
          value={visibility}
          onChange={(e) => setVisibility(e.target.value as typeof visibility)}
        >
          <option value="private">Private</option>
          <option value="org">Organization</option>
          <option value="public">Public</option>
        </select>
      </Field>
      {props.operations && props.operations.length > 0 && (
        <details className="card operations" open={props.operations.length <= 30}>
          <summary>
            Operations in the document ({picked.size} of {props.operations.length} selected)
          </summary>
          <p className="hint">Pick the operations that become tools, then update the proposal.</p>
          <ul className="op-list">
            {props.operations.map((o) => (
              <li key={o.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    disabled={!o.supported}
                    checked={picked.has(o.id)}
                    onChange={(e) =>
                      setPicked((cur) => {
                        const next = new Set(cur);
                        if (e.target.checked) next.add(o.id);
                        else next.delete(o.id);
                        return next;
                      })
                    }
                  />
                  <code>
                    {o.method} {o.path}
                  </code>
                </label>
                <span className="muted small">
                  {o.supported ? (o.summary ?? o.toolName) : `Not supported: ${o.reason}`}
                </span>
              </li>
            ))}
          </ul>
          <ErrorBox error={reselectError} />
          {reselecting ? (
            <Spinner label="Updating the proposal…" />
          ) : (
            <button
              type="button"
              className="btn btn-small"
              disabled={picked.size === 0}
              onClick={() => void reselect()}
            >
              Update tools from this selection
            </button>
          )}
        </details>
      )}
      {(props.previewIssues ?? []).length > 0 && (
        <div className="alert alert-warn" role="status">
          <strong>Fix before building</strong>
          <ul>
            {props.previewIssues!.map((p) => (
              <li key={p.path + p.message}>
                <code>{p.path}</code>: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <h2>
        Tools{' '}
        <span className="muted">
          ({drafts.filter((d) => d.include).length} of {drafts.length} selected)
        </span>
      </h2>
      <ol className="tool-list">
        {drafts.map((d, i) => (
          <li
            key={i}
            className={`card tool${d.include ? '' : ' tool-excluded'}`}
            data-testid="review-tool"
          >
            <div className="tool-head">
              <label className="check">
                <input
                  type="checkbox"
                  checked={d.include}
                  onChange={(e) => edit(i, { include: e.target.checked })}
                />
                Include
              </label>
              <code>
                {d.tool.http.method} {d.tool.http.url}
              </code>
            </div>
            {d.include && (
              <>
                <div className="row">
                  <Field
                    label="Tool name"
                    id={`tool-${i}-name`}
                    error={issueFor(`tools.${i}.name`)}
                  >
                    <input
                      id={`tool-${i}-name`}
                      value={d.name}
                      onChange={(e) => edit(i, { name: e.target.value })}
                    />
                  </Field>
                  <Field
                    label="Scopes"
                    id={`tool-${i}-scopes`}
                    error={issueFor(`tools.${i}.scopes`)}
                    hint="Space-separated, e.g. mcp:read or mcp:tools:name"
                  >
                    <input
                      id={`tool-${i}-scopes`}
                      value={d.scopes}
                      onChange={(e) => edit(i, { scopes: e.target.value })}
                    />
                  </Field>
                </div>
                <Field
                  label="Description"
                  id={`tool-${i}-description`}
                  error={issueFor(`tools.${i}.description`)}
                >
                  <textarea
                    id={`tool-${i}-description`}
                    rows={2}
                    value={d.description}
                    onChange={(e) => edit(i, { description: e.target.value })}
                  />
                </Field>
                <details>
                  <summary>Input schema (JSON)</summary>
                  <Field
                    label="Input schema"
                    id={`tool-${i}-schema`}
                    error={issueFor(`tools.${i}.inputSchema`)}
                  >
                    <textarea
                      id={`tool-${i}-schema`}
                      className="mono"
                      rows={8}
                      value={d.schema}
                      onChange={(e) => edit(i, { schema: e.target.value })}
                    />
                  </Field>
                </details>
                <details>
                  <summary>Build test</summary>
                  <p className="hint">
                    {d.tool.annotations?.readOnlyHint
                      ? 'Read-only: the build calls it once, for real, with these arguments.'
                      : 'Changes data: the build only checks its schema unless you opt in.'}
                  </p>
                  <Field
                    label="Test arguments (JSON)"
                    id={`tool-${i}-args`}
                    error={issueFor(`tools.${i}.args`)}
                  >
                    <textarea
                      id={`tool-${i}-args`}
                      className="mono"
                      rows={4}
                      value={d.args}
                      onChange={(e) => edit(i, { args: e.target.value })}
                    />
                  </Field>
                  {!d.tool.annotations?.readOnlyHint && (
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={d.testWrite}
                        onChange={(e) => edit(i, { testWrite: e.target.checked })}
                      />
                      Call it for real during the build
                    </label>
                  )}
                </details>
                {issueFor(`tools.${i}.http`) && (
                  <p className="field-error">{issueFor(`tools.${i}.http`)}</p>
                )}
              </>
            )}
          </li>
        ))}
      </ol>
      <ReviewResources value={primitives} onChange={setPrimitives} issueFor={issueFor} />
      <h2>Credentials</h2>
      {declared.length === 0 ? (
        <p className="alert alert-info" data-testid="no-credentials">
          No credentials needed: this API's tools do not use any secret.
        </p>
      ) : (
        declared.map((s) => (
          <Field
            key={s.name}
            label={s.name}
            id={`secret-${s.name}`}
            error={
              touched && !secrets[s.name]?.trim()
                ? `Enter ${s.name}; the build tests tools with it.`
                : undefined
            }
            hint={`${s.description ?? ''} Encrypted at rest, injected server-side, never shown again.`.trim()}
          >
            <input
              id={`secret-${s.name}`}
              type="password"
              autoComplete="off"
              value={secrets[s.name] ?? ''}
              onChange={(e) => setSecrets((cur) => ({ ...cur, [s.name]: e.target.value }))}
            />
          </Field>
        ))
      )}
      {generalIssues.length > 0 && (
        <div className="alert alert-error" role="alert">
          <ul>
            {generalIssues.map((p) => (
              <li key={p.path + p.message}>
                <code>{p.path}</code>: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {touched && issues.length > 0 && generalIssues.length === 0 && (
        <p className="field-error" role="alert">
          Fix the highlighted fields first.
        </p>
      )}
      <div className="actions">
        <button type="button" className="btn" onClick={props.onBack}>
          Back
        </button>
        <button type="submit" className="btn btn-primary">
          Build and publish
        </button>
      </div>
    </form>
  );
}
