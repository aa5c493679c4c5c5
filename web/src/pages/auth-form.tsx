// Sign up / sign in against the account API (POST /v1/auth/signup|login); the server-rendered
// /login page is for OAuth flows, this form is the dashboard's own.
import { useState, type FormEvent } from 'react';
import { safeReturnTo } from '../../../lib/http/return-to';
import { api } from '../api';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { ErrorBox, Field } from '../ui';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function AuthForm({ mode, next }: { mode: 'signup' | 'signin'; next: string | null }) {
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const emailError = !EMAIL.test(email)
    ? 'Enter an email address like you@example.com.'
    : undefined;
  const passwordError =
    mode === 'signup' && password.length < 10
      ? 'Use at least 10 characters.'
      : password.length === 0
        ? 'Enter your password.'
        : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (emailError || passwordError) return;
    setBusy(true);
    setError(undefined);
    try {
      const body =
        mode === 'signup' ? { email, password, ...(name ? { name } : {}) } : { email, password };
      await api(mode === 'signup' ? '/v1/auth/signup' : '/v1/auth/login', { method: 'POST', body });
      await refresh();
      navigate(
        mode === 'signup' ? '/servers/new' : safeReturnTo(next, location.origin, '/servers'),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const title = mode === 'signup' ? 'Create your Moat account' : 'Sign in to Moat';
  return (
    <div className="narrow card">
      <h1>{title}</h1>
      <form onSubmit={submit} noValidate aria-label={title}>
        {mode === 'signup' && (
          <Field label="Name (optional)" id="name">
            <input
              id="name"
              autoComplete="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
        )}
        <Field label="Email" id="email" error={touched ? emailError : undefined}>
          <input
            id="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            aria-invalid={touched && !!emailError}
            aria-describedby={touched && emailError ? 'email-error' : undefined}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field
          label="Password"
          id="password"
          error={touched ? passwordError : undefined}
          hint={mode === 'signup' ? 'At least 10 characters.' : undefined}
        >
          <input
            id="password"
            type="password"
            autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
            required
            value={password}
            aria-invalid={touched && !!passwordError}
            aria-describedby={touched && passwordError ? 'password-error' : 'password-hint'}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <ErrorBox error={error} />
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Please wait…' : mode === 'signup' ? 'Create account' : 'Sign in'}
        </button>
      </form>
      <p className="muted">
        {mode === 'signup' ? (
          <>
            Already have an account? <Link href="/sign-in">Sign in</Link>
          </>
        ) : (
          <>
            New to Moat? <Link href="/sign-up">Create an account</Link>
          </>
        )}
      </p>
    </div>
  );
}
