import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, ORIGIN, signUp } from './support/accounts';

async function inviteUrl() {
  const [alice, bob] = [await signUp(), await signUp()];
  const res = await api('/v1/me/org/invites', { as: alice, body: { email: bob.email } });
  const { url } = await res.json<{ url: string }>();
  return { alice, bob, path: new URL(url).pathname };
}

describe('/invite/:token page', () => {
  it('sends a signed-out visitor to /login and back', async () => {
    const { path } = await inviteUrl();
    const res = await exports.default.fetch(`${ORIGIN}${path}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/login?return_to=${encodeURIComponent(path)}`);
  });

  it('refuses the join form without its CSRF token with 403', async () => {
    const { bob, path } = await inviteUrl();
    const res = await exports.default.fetch(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: {
        cookie: bob.cookie,
        origin: ORIGIN,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'csrf_token=',
    });
    expect(res.status).toBe(403);
  });

  it('shows the org and joins it from the form', async () => {
    const { alice, bob, path } = await inviteUrl();
    const page = await exports.default.fetch(`${ORIGIN}${path}`, {
      headers: { cookie: bob.cookie },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const html = await page.text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
    expect(csrf).toBe(bob.csrfToken);
    const res = await exports.default.fetch(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: {
        cookie: bob.cookie,
        origin: ORIGIN,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `csrf_token=${csrf}`,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You joined');
    const org = await (
      await api('/v1/me/org', { as: bob, headers: { 'x-moat-org': alice.orgId } })
    ).json<{ org: { id: string }; role: string }>();
    expect(org).toMatchObject({ org: { id: alice.orgId }, role: 'member' });
  });
});
