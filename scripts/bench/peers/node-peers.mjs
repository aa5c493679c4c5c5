// The Node systems of `npm run bench:peers`, seen from the load generator: each runs in its own
// child process (node-peer-process.mjs), so its CPU (/proc/<pid>/stat) is its own and not mixed
// with the load generator's. oidc-provider's codes are minted in the child over IPC, before a
// phase is measured.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import { refreshChains } from './chains.mjs';
import { drain } from './load.mjs';
import { REDIRECT } from './pkce.mjs';

/** Forks the child for `kind`; resolves once it listens, with an RPC to its ops. */
function forkPeer(kind) {
  const child = fork(join(import.meta.dirname, 'node-peer-process.mjs'), [kind], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let nextId = 0;
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`${kind} peer exited (${code})`)));
    child.on('message', (m) => {
      if (m.ready) {
        const call = (op, arg) =>
          new Promise((resolve, reject) => {
            const id = nextId++;
            pending.set(id, { resolve, reject });
            child.send({ id, op, arg });
          });
        const stop = () =>
          new Promise((r) => {
            if (child.exitCode !== null) return r();
            child.once('exit', r);
            child.kill('SIGTERM');
          });
        ok({ origin: m.origin, resource: m.resource, pid: child.pid, call, stop });
        return;
      }
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
  });
}

export async function startNodeHttp() {
  const peer = await forkPeer('node');
  return {
    name: 'node',
    pids: [peer.pid],
    phases: { ceiling: () => fetch(`${peer.origin}/`).then(drain) },
    stop: peer.stop,
  };
}

export async function startOidcProvider({ chains: chainCount }) {
  const peer = await forkPeer('oidc');
  try {
    const { origin: issuer, resource } = peer;
    const token = (params, headers = {}) =>
      fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(params),
      });
    const redeem = ({ code, verifier }) =>
      token({
        grant_type: 'authorization_code',
        client_id: 'app',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
      });
    const first = [];
    for (const minted of await peer.call('mintCodes', chainCount)) {
      const r = await redeem(minted);
      const body = await r.json();
      if (r.status !== 200 || !body.refresh_token)
        throw new Error(`oidc-provider exchange: ${r.status} ${JSON.stringify(body)}`);
      first.push(body.refresh_token);
    }
    const chains = refreshChains(first);
    const basic = `Basic ${Buffer.from('machine:machine-secret-for-the-bench-only').toString('base64')}`;
    const ccParams = { grant_type: 'client_credentials', resource, scope: 'mcp:read' };
    const probe = await token(ccParams, { authorization: basic });
    if (probe.status !== 200)
      throw new Error(`oidc-provider client_credentials: ${probe.status} ${await probe.text()}`);
    await probe.arrayBuffer();
    let codes = [];
    return {
      name: 'oidc',
      pids: [peer.pid],
      phases: {
        client_credentials: () => token(ccParams, { authorization: basic }).then(drain),
        refresh_token: (conn) =>
          chains.rotate(conn, async (rt) => {
            const r = await token({
              grant_type: 'refresh_token',
              client_id: 'app',
              refresh_token: rt,
            });
            const body = await r.json().catch(() => ({}));
            return { status: r.status, refreshToken: body.refresh_token };
          }),
        authorization_code: () => redeem(codes.pop()).then(drain),
      },
      async prepare(phase, n) {
        if (phase === 'authorization_code') codes = await peer.call('mintCodes', n);
      },
      async replay() {
        const rt = chains.rotated();
        const r = await token({ grant_type: 'refresh_token', client_id: 'app', refresh_token: rt });
        await r.arrayBuffer();
        return r.status;
      },
      chains,
      stop: peer.stop,
    };
  } catch (err) {
    await peer.stop();
    throw err;
  }
}
