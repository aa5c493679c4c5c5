// A form built from a tool's `inputSchema` (JSON Schema): one input per top-level property —
// text, number, checkbox or select for scalars and enums, a JSON text area for anything else.
// The server validates the arguments again; this only turns typed fields into JSON values.
import { useState, type FormEvent } from 'react';
import { Field } from '../ui';

type PropertySchema = {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  title?: string;
  default?: unknown;
};

export type InputSchema = {
  type?: string;
  properties?: Record<string, PropertySchema>;
  required?: string[];
};

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

function kindOf(p: PropertySchema): Kind {
  if (Array.isArray(p.enum) && p.enum.every((v) => typeof v === 'string')) return 'enum';
  const t = Array.isArray(p.type) ? p.type.find((x) => x !== 'null') : p.type;
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean') return t;
  return 'json';
}

/** The arguments object, or an error message naming the field that could not be read. */
export function argumentsFrom(
  schema: InputSchema,
  values: Record<string, string | boolean>,
): { ok: true; args: Record<string, unknown> } | { ok: false; message: string } {
  const args: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    const kind = kindOf(p);
    const raw = values[name];
    if (kind === 'boolean') {
      if (raw !== undefined) args[name] = raw === true;
      else if (required.has(name)) args[name] = false;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      if (required.has(name)) return { ok: false, message: `${name} is required.` };
      continue;
    }
    if (kind === 'number' || kind === 'integer') {
      const n = Number(text);
      if (!Number.isFinite(n) || (kind === 'integer' && !Number.isInteger(n))) {
        return {
          ok: false,
          message: `${name} must be ${kind === 'integer' ? 'an integer' : 'a number'}.`,
        };
      }
      args[name] = n;
    } else if (kind === 'json') {
      try {
        args[name] = JSON.parse(text);
      } catch {
        return { ok: false, message: `${name} must be JSON.` };
      }
    } else {
      args[name] = text;
    }
  }
  return { ok: true, args };
}

export function ToolForm({
  toolName,
  schema,
  busy,
  onSubmit,
}: {
  toolName: string;
  schema: InputSchema;
  busy: boolean;
  onSubmit: (args: Record<string, unknown>) => void;
}) {
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [problem, setProblem] = useState<string>();
  const required = new Set(schema.required ?? []);
  const set = (name: string, v: string | boolean) => setValues({ ...values, [name]: v });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = argumentsFrom(schema, values);
    if (!r.ok) return setProblem(r.message);
    setProblem(undefined);
    onSubmit(r.args);
  };

  const entries = Object.entries(schema.properties ?? {});
  return (
    <form onSubmit={submit} aria-label={`Call ${toolName}`} className="playground-form">
      {entries.length === 0 && <p className="muted small">This tool takes no arguments.</p>}
      {entries.map(([name, p]) => {
        const id = `arg-${toolName}-${name}`;
        const kind = kindOf(p);
        const label = `${name}${required.has(name) ? ' *' : ''}`;
        const hint = p.description ?? (kind === 'json' ? 'JSON' : undefined);
        if (kind === 'boolean') {
          return (
            <div className="field" key={name}>
              <label>
                <input
                  id={id}
                  type="checkbox"
                  checked={values[name] === true}
                  onChange={(e) => set(name, e.target.checked)}
                />{' '}
                {label}
              </label>
              {hint && <p className="hint">{hint}</p>}
            </div>
          );
        }
        return (
          <Field key={name} label={label} id={id} hint={hint}>
            {kind === 'enum' ? (
              <select
                id={id}
                value={String(values[name] ?? '')}
                onChange={(e) => set(name, e.target.value)}
              >
                <option value="">—</option>
                {(p.enum as string[]).map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            ) : kind === 'json' ? (
              <textarea
                id={id}
                rows={3}
                value={String(values[name] ?? '')}
                onChange={(e) => set(name, e.target.value)}
              />
            ) : (
              <input
                id={id}
                type={kind === 'string' ? 'text' : 'number'}
                step={kind === 'integer' ? 1 : 'any'}
                value={String(values[name] ?? '')}
                onChange={(e) => set(name, e.target.value)}
              />
            )}
          </Field>
        );
      })}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <button className="btn btn-primary btn-small" disabled={busy}>
        {busy ? 'Calling…' : `Call ${toolName}`}
      </button>
    </form>
  );
}
