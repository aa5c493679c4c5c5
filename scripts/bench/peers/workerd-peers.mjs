// workers-oauth-provider and the trivial Worker in `npm run bench:peers`: each bundled by esbuild
// and run by its own Miniflare (same workerd, same compatibility date as Moat), on 127.0.0.1.
import { build } from 'esbuild';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { root, WORKERS } from '../../lib/workers.mjs';
import { freePort } from '../platform.mjs';
import { refreshChains } from './chains.mjs';
import { drain, workerdPids } from './load.mjs';
import { pkce, REDIRECT } from './pkce.mjs';

const { compatibilityDate: COMPAT_DATE } = unstable_getMiniflareWorkerOptions(
  WORKERS.auth.config,
).workerOptions;

async function bundle(name) {
  const outfile = join(root, 'dist/bench/peers', `${name}.js`);
  await build({
    entryPoints: [join(import.meta.dirname, `${name}.mjs`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser', 'import', 'default'],
    mainFields: ['browser', 'module', 'main'],
    external: ['cloudflare:*', 'node:*'],
    logLevel: 'warning',
  });
  return outfile;
}

async function miniflare(name, extra = {}, port = 0) {
  const before = new Set(workerdPids(process.pid));
  const scriptPath = await bundle(name);
  const worker = {
    name,
    modules: true,
    scriptPath,
    compatibilityDate: COMPAT_DATE,
    compatibilityFlags: ['nodejs_compat'],
    ...extra,
  };
  const mf = new Miniflare(
    convertV4MiniflareOptions({ host: '127.0.0.1', port, workers: [worker] }),
  );
  const origin = new URL(await mf.ready).origin;
  const pids = workerdPids(process.pid).filter((p) => !before.has(p));
  return { mf, origin, pids };
}

export async function startTrivialWorker() {
  const { mf, origin, pids } = await miniflare('trivial-worker');
  return {
    name: 'worker',
    pids,
    phases: { ceiling: () => fetch(`${origin}/`).then(drain) },
    stop: () => mf.dispose(),
  };
}

export async function startWop({ api, chains: chainCount }) {
  const port = await freePort();
  const { mf, origin, pids } = await miniflare(
    'wop-worker',
    {
      kvNamespaces: ['OAUTH_KV'],
      bindings: {
        DOWNSTREAM: api.origin,
        API_KEY: api.secret,
        RESOURCE: `http://127.0.0.1:${port}/api`,
      },
    },
    port,
  );
  try {
    const reg = await fetch(`${origin}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'peers app',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    });
    if (reg.status !== 201) throw new Error(`wop register: ${reg.status} ${await reg.text()}`);
    const app = await reg.json();
    const mintCode = async () => {
      const { verifier, challenge } = await pkce();
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: app.client_id,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 's',
        scope: 'mcp:read',
      });
      const res = await fetch(`${origin}/authorize?${q}`, { redirect: 'manual' });
      await res.arrayBuffer();
      const code = new URL(res.headers.get('location') ?? 'x:').searchParams.get('code');
      if (!code) throw new Error(`wop authorize: no code (${res.status})`);
      return { code, verifier };
    };
    const token = (params) =>
      fetch(`${origin}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: app.client_id, ...params }),
      });
    const redeem = ({ code, verifier }) =>
      token({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
      });
    const first = [];
    for (let i = 0; i < chainCount; i++) {
      const r = await redeem(await mintCode());
      if (r.status !== 200) throw new Error(`wop exchange: ${r.status} ${await r.text()}`);
      first.push(await r.json());
    }
    const accessToken = first[0].access_token;
    const chains = refreshChains(first.map((t) => t.refresh_token));
    const call = (t) =>
      fetch(`${origin}/api/forecast`, { headers: { authorization: `Bearer ${t}` } });
    const check = await (await call(accessToken)).text();
    if (!check.includes('"ok":true')) throw new Error(`wop api call: ${check.slice(0, 300)}`);
    let codes = [];
    return {
      name: 'wop',
      pids,
      phases: {
        refresh_token: (conn) =>
          chains.rotate(conn, async (rt) => {
            const r = await token({ grant_type: 'refresh_token', refresh_token: rt });
            const body = await r.json().catch(() => ({}));
            return { status: r.status, refreshToken: body.refresh_token };
          }),
        authorization_code: () => redeem(codes.pop()).then(drain),
        'tools/call': () => call(accessToken).then(drain),
        'tools/list': () =>
          fetch(`${origin}/api/list`, { headers: { authorization: `Bearer ${accessToken}` } }).then(
            drain,
          ),
        'invalid token': () => call('bench:invalid:token').then(drain),
      },
      async prepare(phase, n) {
        if (phase === 'authorization_code') {
          codes = [];
          for (let i = 0; i < n; i++) codes.push(await mintCode());
        }
      },
      async replay() {
        const r = await token({ grant_type: 'refresh_token', refresh_token: chains.rotated() });
        await r.arrayBuffer();
        return r.status;
      },
      chains,
      stop: () => mf.dispose(),
    };
  } catch (err) {
    await mf.dispose();
    throw err;
  }
}
