// Review step: one proposed tool — include it, rename, describe, scopes, input schema as JSON,
// and what the build does with it (test arguments; whether a write tool is called for real).
import { Field } from '../ui';
import { ReviewResponse } from './review-response';
import type { Draft } from './tool-draft';

export function ToolCard(props: {
  draft: Draft;
  index: number;
  edit: (patch: Partial<Draft>) => void;
  /** The issue message at a path under this tool (`name`, `scopes`, …), if any. */
  issue: (field: string) => string | undefined;
}) {
  const { draft: d, index: i, edit, issue } = props;
  const readOnly = d.tool.annotations?.readOnlyHint;
  return (
    <li className={`card tool${d.include ? '' : ' tool-excluded'}`} data-testid="review-tool">
      <div className="tool-head">
        <label className="check">
          <input
            type="checkbox"
            checked={d.include}
            onChange={(e) => edit({ include: e.target.checked })}
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
            <Field label="Tool name" id={`tool-${i}-name`} error={issue('name')}>
              <input
                id={`tool-${i}-name`}
                value={d.name}
                onChange={(e) => edit({ name: e.target.value })}
              />
            </Field>
            <Field
              label="Scopes"
              id={`tool-${i}-scopes`}
              error={issue('scopes')}
              hint="Space-separated, e.g. mcp:read or mcp:tools:name"
            >
              <input
                id={`tool-${i}-scopes`}
                value={d.scopes}
                onChange={(e) => edit({ scopes: e.target.value })}
              />
            </Field>
          </div>
          <Field label="Description" id={`tool-${i}-description`} error={issue('description')}>
            <textarea
              id={`tool-${i}-description`}
              rows={2}
              value={d.description}
              onChange={(e) => edit({ description: e.target.value })}
            />
          </Field>
          <details>
            <summary>Input schema (JSON)</summary>
            <Field label="Input schema" id={`tool-${i}-schema`} error={issue('inputSchema')}>
              <textarea
                id={`tool-${i}-schema`}
                className="mono"
                rows={8}
                value={d.schema}
                onChange={(e) => edit({ schema: e.target.value })}
              />
            </Field>
          </details>
          <ReviewResponse
            tool={d.tool}
            index={i}
            setTool={(tool) => edit({ tool })}
            issue={issue('response')}
          />
          <details>
            <summary>Build test</summary>
            <p className="hint">
              {readOnly
                ? 'Read-only: the build calls it once, for real, with these arguments.'
                : 'Changes data: the build only checks its schema unless you opt in.'}
            </p>
            <Field label="Test arguments (JSON)" id={`tool-${i}-args`} error={issue('args')}>
              <textarea
                id={`tool-${i}-args`}
                className="mono"
                rows={4}
                value={d.args}
                onChange={(e) => edit({ args: e.target.value })}
              />
            </Field>
            {!readOnly && (
              <label className="check">
                <input
                  type="checkbox"
                  checked={d.testWrite}
                  onChange={(e) => edit({ testWrite: e.target.checked })}
                />
                Call it for real during the build
              </label>
            )}
          </details>
          {issue('http') && <p className="field-error">{issue('http')}</p>}
        </>
      )}
    </li>
  );
}
