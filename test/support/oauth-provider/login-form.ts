// The test provider's sign-in page: one form, any account name, Sign in or Deny. Plain HTML, no
// script, so both a test's fetch and Chromium can use it.
const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function renderLoginForm(uid: string, params: Record<string, string | undefined>): string {
  return `<!doctype html><html><head><title>Test provider — sign in</title></head><body>
<h1>Sign in to the test provider</h1>
<p>Client <code>${escape(params.client_id ?? '')}</code> asks for <code>${escape(params.scope ?? '')}</code>.</p>
<form method="post" action="/interaction/${escape(uid)}/login">
  <label>Account <input name="login" autofocus required></label>
  <button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/deny"><button type="submit">Deny</button></form>
</body></html>`;
}
