// GET /login, POST /login, POST /signup, POST /logout: the server-rendered sign-in page that the
// OAuth flow (/authorize → /login?return_to=/authorize?…) and the dashboard share.
import { type Context, Hono } from 'hono';
import { ApiError } from '../../../../lib/http/api-error';
import { PASSWORD_MIN_LENGTH } from '../../../../lib/crypto/password';
import type { AppEnv } from '../app-env';
import { LoginSchema, signIn, SignupSchema, signUp } from '../accounts/credentials';
import { formCsrfToken, verifyFormCsrf } from '../middleware/csrf';
import { clearSessionCookies, getSession, setSessionCookies } from '../middleware/session';
import { fieldIssues } from '../control-plane/request-body';
import { safeReturnTo } from '../../../../lib/http/return-to';
import { auditStatement } from '../store/audit';
import { resolveMembership } from '../store/orgs';
import { deleteSessionStatement } from '../store/sessions';
import { Layout, type PageStatus, renderPage } from './layout';
import { requestMeta } from '../request-meta';
import { recordLoginStep } from '../connection-recorder/steps';

type Ctx = Context<AppEnv>;
type Mode = 'signin' | 'signup';
type FormState = { mode?: Mode; error?: string; email?: string; name?: string };

const meta = (c: Ctx) => requestMeta(c.req.raw);

async function loginPage(
  c: Ctx,
  returnTo: string,
  state: FormState = {},
  status: PageStatus = 200,
) {
  const csrf = await formCsrfToken(c);
  const found = await getSession(c);
  const signinError = state.mode !== 'signup' ? state.error : undefined;
  const signupError = state.mode === 'signup' ? state.error : undefined;
  const page = (
    <Layout title="Sign in">
      {found && (
        <section>
          <p class="notice">
            Signed in as <strong>{found.user.email}</strong>.
          </p>
          <a href={returnTo}>Continue</a>
          <form method="post" action="/logout">
            <input type="hidden" name="csrf_token" value={csrf} />
            <button class="secondary" type="submit">
              Sign out
            </button>
          </form>
        </section>
      )}
      <section>
        <h1>Sign in</h1>
        {signinError && (
          <p class="error" role="alert">
            {signinError}
          </p>
        )}
        <form method="post" action="/login">
          <input type="hidden" name="csrf_token" value={csrf} />
          <input type="hidden" name="return_to" value={returnTo} />
          <label for="signin-email">Email</label>
          <input
            id="signin-email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value={state.mode !== 'signup' ? state.email : undefined}
          />
          <label for="signin-password">Password</label>
          <input
            id="signin-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
          <button type="submit">Sign in</button>
        </form>
      </section>
      <section>
        <h1>Create an account</h1>
        {signupError && (
          <p class="error" role="alert">
            {signupError}
          </p>
        )}
        <form method="post" action="/signup">
          <input type="hidden" name="csrf_token" value={csrf} />
          <input type="hidden" name="return_to" value={returnTo} />
          <label for="signup-name">Name (optional)</label>
          <input
            id="signup-name"
            name="name"
            type="text"
            autocomplete="name"
            value={state.mode === 'signup' ? state.name : undefined}
          />
          <label for="signup-email">Email</label>
          <input
            id="signup-email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value={state.mode === 'signup' ? state.email : undefined}
          />
          <label for="signup-password">Password</label>
          <input
            id="signup-password"
            name="password"
            type="password"
            autocomplete="new-password"
            minlength={PASSWORD_MIN_LENGTH}
            required
          />
          <p class="muted">At least {PASSWORD_MIN_LENGTH} characters.</p>
          <button type="submit">Create account</button>
        </form>
      </section>
    </Layout>
  );
  return renderPage(c, page, status);
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Runs sign-in or sign-up from a form post; re-renders the page with the error on failure. */
async function submit(c: Ctx, mode: Mode) {
  const form = await c.req.parseBody();
  const returnTo = safeReturnTo(form.return_to, c.env.ISSUER);
  const state: FormState = { mode, email: text(form.email), name: text(form.name) };
  if (!(await verifyFormCsrf(c, form.csrf_token))) {
    return loginPage(c, returnTo, { ...state, error: 'This form expired. Please try again.' }, 403);
  }
  const fields = { email: text(form.email) ?? '', password: text(form.password) ?? '' };
  const parsed =
    mode === 'signup'
      ? SignupSchema.safeParse({ ...fields, ...(text(form.name) ? { name: text(form.name) } : {}) })
      : LoginSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = fieldIssues(parsed.error)[0];
    return loginPage(c, returnTo, { ...state, error: issue?.message ?? 'Check the form.' }, 422);
  }
  try {
    const signed =
      mode === 'signup'
        ? await signUp(c.env.DB, parsed.data as Parameters<typeof signUp>[1], meta(c))
        : await signIn(c.env.DB, parsed.data, meta(c));
    setSessionCookies(c, signed.cookieValue, signed.session.csrfToken);
    return c.redirect(returnTo, 303);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return loginPage(c, returnTo, { ...state, error: err.message }, err.status as PageStatus);
  }
}

export const loginPages = new Hono<AppEnv>()
  .get('/login', (c) => loginPage(c, safeReturnTo(c.req.query('return_to'), c.env.ISSUER)))
  .post('/login', recordLoginStep('signin'), (c) => submit(c, 'signin'))
  .post('/signup', recordLoginStep('signup'), (c) => submit(c, 'signup'))
  .post('/logout', async (c) => {
    const form = await c.req.parseBody();
    if (!(await verifyFormCsrf(c, form.csrf_token))) {
      return loginPage(c, '/', { error: 'This form expired. Please try again.' }, 403);
    }
    const found = await getSession(c);
    if (found) {
      const membership = await resolveMembership(c.env.DB, found.user.id);
      await c.env.DB.batch([
        deleteSessionStatement(c.env.DB, found.session.id),
        auditStatement(c.env.DB, {
          orgId: membership?.orgId ?? null,
          actor: found.user.id,
          action: 'user.logout',
          resource: found.user.id,
          ...meta(c),
        }),
      ]);
    }
    clearSessionCookies(c);
    return c.redirect('/login', 303);
  });
