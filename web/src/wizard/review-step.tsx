// Wizard step 2: review the proposed tools (include, rename, describe, schema as JSON, scopes) and
// enter one credential per declared secret. Validated locally with the same ServerSpecSchema the
// API uses (tool-draft.ts), so errors name the field before anything is sent.
import { useMemo, useState, type FormEvent } from 'react';
import type { ServerSpec, ServerSpecInput } from '../../../lib/spec/server-spec';
import { Field } from '../ui';
import { CredentialFields } from './credential-fields';
import type { Operation } from './describe-step';
import { OperationPicker } from './operation-picker';
import { ToolCard } from './tool-card';
import { draftSpec, issueAt, toDraft, type Draft } from './tool-draft';
import { primitivesOf, ReviewResources } from './review-resources';
import { droppedClientSecrets, ReviewConnections } from './review-connections';
import { ReviewToolsets, toolsetsOf, toToolsetDrafts } from './review-toolsets';

export type BuildOptions = {
  sampleArgs: Record<string, Record<string, unknown>>;
  testWrites: string[];
};

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
  const [toolsets, setToolsets] = useState(() => toToolsetDrafts(props.spec));
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [connections, setConnections] = useState(props.spec.connections);
  const [touched, setTouched] = useState(false);
  const dropped = droppedClientSecrets(props.spec.connections, connections);
  const declared = (props.spec.secrets ?? []).filter((s) => !dropped.has(s.name));

  const edit = (i: number, patch: Partial<Draft>) =>
    setDrafts((cur) => cur.map((d, j) => (j === i ? { ...d, ...patch } : d)));

  const { spec, issues } = useMemo(
    () =>
      draftSpec(
        {
          ...props.spec,
          ...primitives,
          connections,
          secrets: declared,
          toolsets: toolsetsOf(toolsets, drafts),
        },
        drafts,
        visibility,
      ),
    [drafts, visibility, primitives, connections, toolsets, props.spec],
  );

  const missingSecrets = declared.filter((s) => !secrets[s.name]?.trim());

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!spec || missingSecrets.length) return;
    const included = drafts.filter((d) => d.include);
    const values = Object.fromEntries(Object.entries(secrets).filter(([k]) => !dropped.has(k)));
    props.onConfirm(spec, values, {
      sampleArgs: Object.fromEntries(
        included.map((d) => [d.name, JSON.parse(d.args) as Record<string, unknown>]),
      ),
      testWrites: included.filter((d) => d.testWrite).map((d) => d.name),
    });
  };

  // A connection's issues (its empty client ID) show live at its fields instead.
  const previewIssues = (props.previewIssues ?? []).filter(
    (p) => !p.path.startsWith('connections.'),
  );
  const generalIssues = issues.filter(
    (p) => !/^(tools|resources|resourceTemplates|prompts|connections|toolsets)\.\d+\./.test(p.path),
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
        <OperationPicker operations={props.operations} onReselect={props.onReselect} />
      )}
      {previewIssues.length > 0 && (
        <div className="alert alert-warn" role="status">
          <strong>Fix before building</strong>
          <ul>
            {previewIssues.map((p) => (
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
          <ToolCard
            key={i}
            draft={d}
            index={i}
            edit={(patch) => edit(i, patch)}
            issue={(field) => issueAt(issues, `tools.${i}.${field}`)}
          />
        ))}
      </ol>
      <ReviewResources
        value={primitives}
        onChange={setPrimitives}
        issueFor={(prefix) => issueAt(issues, prefix)}
      />
      <ReviewConnections
        proposed={props.spec.connections}
        value={connections}
        onChange={setConnections}
        issueFor={(prefix) => issueAt(issues, prefix)}
      />
      <ReviewToolsets
        value={toolsets}
        tools={drafts}
        onChange={setToolsets}
        issueFor={(prefix) => issueAt(issues, prefix)}
      />
      <h2>Credentials</h2>
      <CredentialFields
        declared={declared}
        values={secrets}
        onChange={(name, value) => setSecrets((cur) => ({ ...cur, [name]: value }))}
        touched={touched}
      />
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
