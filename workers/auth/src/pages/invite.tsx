// GET/POST /invite/:token: the link an inviter passes on. Signed-out visitors go through /login
// and come back here; the accept button is a CSRF-protected form.
import { type Context, Hono } from 'hono';
import { ApiError } from '../../../../lib/http/api-error';
import type { AppEnv } from '../app-env';
import { acceptInviteFor, pendingInvite } from '../accounts/invitations';
import { formCsrfToken, verifyFormCsrf } from '../middleware/csrf';
import { getSessionUser } from '../middleware/session';
import { requestMeta } from '../request-meta';
import { Layout, type PageStatus, renderPage } from './layout';

type Ctx = Context<AppEnv>;

function message(c: Ctx, title: string, text: string, status: PageStatus) {
  return renderPage(
    c,
    <Layout title={title}>
      <section>
        <h1>{title}</h1>
        <p>{text}</p>
        <a href="/">Go to the dashboard</a>
      </section>
    </Layout>,
    status,
  );
}

async function show(c: Ctx) {
  const token = c.req.param('token') ?? '';
  const user = await getSessionUser(c);
  if (!user) return c.redirect(`/login?return_to=${encodeURIComponent(`/invite/${token}`)}`, 303);
  try {
    const invite = await pendingInvite(c.env.DB, token);
    const csrf = await formCsrfToken(c);
    return renderPage(
      c,
      <Layout title="Join organization">
        <section>
          <h1>Join {invite.orgName}</h1>
          <p>
            You were invited as <strong>{invite.role}</strong> ({invite.email}). You are signed in
            as {user.email}.
          </p>
          <form method="post" action={`/invite/${token}`}>
            <input type="hidden" name="csrf_token" value={csrf} />
            <button type="submit">Join {invite.orgName}</button>
          </form>
        </section>
      </Layout>,
    );
  } catch (err) {
    if (err instanceof ApiError) return message(c, 'Invite', err.message, err.status as PageStatus);
    throw err;
  }
}

export const invitePages = new Hono<AppEnv>()
  .get('/invite/:token', show)
  .post('/invite/:token', async (c) => {
    const form = await c.req.parseBody();
    const user = await getSessionUser(c);
    if (!user) return c.redirect(`/login`, 303);
    if (!(await verifyFormCsrf(c, form.csrf_token))) {
      return message(c, 'Invite', 'This form expired. Open the invite link again.', 403);
    }
    try {
      const invite = await acceptInviteFor(
        c.env.DB,
        c.req.param('token'),
        user,
        requestMeta(c.req.raw),
      );
      return message(c, 'Welcome', `You joined ${invite.orgName} as ${invite.role}.`, 200);
    } catch (err) {
      if (err instanceof ApiError)
        return message(c, 'Invite', err.message, err.status as PageStatus);
      throw err;
    }
  });
