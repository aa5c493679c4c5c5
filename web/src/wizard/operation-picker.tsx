// Review step, OpenAPI source: pick which of the document's operations become tools, then ask the
// preview again for that selection.
import { useState } from 'react';
import { ErrorBox, Spinner } from '../ui';
import type { Operation } from './describe-step';

export function OperationPicker(props: {
  operations: Operation[];
  onReselect: ((operationIds: string[]) => Promise<void>) | undefined;
}) {
  const [picked, setPicked] = useState<Set<string>>(
    () => new Set(props.operations.filter((o) => o.selected).map((o) => o.id)),
  );
  const [reselecting, setReselecting] = useState(false);
  const [error, setError] = useState<unknown>();
  const reselect = async () => {
    if (!props.onReselect) return;
    setReselecting(true);
    setError(undefined);
    try {
      await props.onReselect([...picked]);
    } catch (err) {
      setError(err);
      setReselecting(false);
    }
  };
  const toggle = (id: string, on: boolean) =>
    setPicked((cur) => {
      const next = new Set(cur);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
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
                onChange={(e) => toggle(o.id, e.target.checked)}
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
      <ErrorBox error={error} />
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
  );
}
