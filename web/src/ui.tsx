// Shared building blocks: form fields with inline errors, API error and empty states, copy
// buttons, code blocks. Plain elements with labels; styles in styles.css.
import { useEffect, useState, type ReactNode } from 'react';
import { ApiFailure } from './api';
import { Link } from './router';
import { useSession } from './session';

export function Field(props: {
  label: string;
  id: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className={`field${props.error ? ' field-invalid' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && !props.error && (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p className="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiFailure ? error.code : undefined;
  return (
    <div className="alert alert-error" role="alert">
      {message}
      {code && <code className="code-tag">{code}</code>}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty">
      <h3>{title}</h3>
      <div>{children}</div>
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <p className="spinner" role="status" aria-live="polite">
      <span className="spinner-dot" aria-hidden="true" /> {label}
    </p>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(t);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
  };
  return (
    <button type="button" className="btn btn-small" onClick={copy} aria-live="polite">
      {copied ? 'Copied' : label}
    </button>
  );
}

export function Code({
  children,
  label,
  copy = true,
}: {
  children: string;
  label?: string;
  copy?: boolean;
}) {
  return (
    <div className="code">
      {(label || copy) && (
        <div className="code-head">
          <span>{label}</span>
          {copy && <CopyButton text={children} label={label ? `Copy ${label}` : 'Copy'} />}
        </div>
      )}
      <pre tabIndex={0}>
        <code>{children}</code>
      </pre>
    </div>
  );
}

export function SignInRequired() {
  const { state } = useSession();
  if (state.status === 'unavailable')
    return (
      <div className="alert alert-info" role="status" data-testid="session-unavailable">
        {state.message}
      </div>
    );
  return (
    <div className="narrow">
      <h1>Sign in to continue</h1>
      <p>
        <Link
          href={`/sign-in?next=${encodeURIComponent(location.pathname)}`}
          className="btn btn-primary"
        >
          Sign in
        </Link>{' '}
        or <Link href="/sign-up">create an account</Link>.
      </p>
    </div>
  );
}

/** A wire time (epoch milliseconds, lib/api/time.ts) in the reader's locale, or — for none. */
export function when(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : new Date(ms).toLocaleString();
}
