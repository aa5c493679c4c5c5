// Build helpers: start a build through the real routes, wait for it, read its WebSocket log.
import { exports } from 'cloudflare:workers';
import {
  BuildLogMessageSchema,
  BuildSchema,
  type Build,
  type BuildLogMessage,
} from '../../../../lib/api/builds';
import { ORIGIN, api, type SignedUp } from './accounts';
import { expectShape } from './contract';

export type BuildView = Build;

export async function waitForBuild(
  as: SignedUp,
  id: string,
  timeoutMs = 20_000,
): Promise<BuildView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(`/v1/builds/${id}`, { as });
    if (res.status !== 200) throw new Error(`GET build: ${res.status} ${await res.text()}`);
    const build = expectShape(BuildSchema, await res.json());
    if (build.status === 'succeeded' || build.status === 'failed') return build;
    if (Date.now() > until) throw new Error(`build ${id} still ${build.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens GET /v1/builds/:id/log as a WebSocket and collects messages until the server closes it. */
export async function readLogSocket(as: SignedUp, id: string): Promise<BuildLogMessage[]> {
  const res = await exports.default.fetch(`${ORIGIN}/v1/builds/${id}/log`, {
    headers: { upgrade: 'websocket', cookie: as.cookie, origin: ORIGIN },
  });
  if (res.status !== 101 || !res.webSocket)
    throw new Error(`log socket: ${res.status} ${await res.text()}`);
  const ws = res.webSocket;
  const messages: unknown[] = [];
  const closed = new Promise<void>((resolve) => ws.addEventListener('close', () => resolve()));
  ws.addEventListener('message', (e) => messages.push(JSON.parse(String(e.data))));
  ws.accept();
  await closed;
  return messages.map((m) => expectShape(BuildLogMessageSchema, m));
}
