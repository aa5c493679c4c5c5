// Build helpers: start a build through the real routes, wait for it, read its WebSocket log.
import { exports } from 'cloudflare:workers';
import { ORIGIN, api, type SignedUp } from './accounts';

export type BuildView = {
  id: string;
  serverId: string;
  slug: string;
  status: string;
  version: number | null;
  error: { step: string; message: string; fix: string } | null;
  log: {
    seq: number;
    step: string;
    level: string;
    message: string;
    tool?: string;
    durationMs?: number;
  }[];
  url: string;
  snippets?: { id: string; code: string }[];
};

export async function waitForBuild(
  as: SignedUp,
  id: string,
  timeoutMs = 20_000,
): Promise<BuildView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(`/v1/builds/${id}`, { as });
    if (res.status !== 200) throw new Error(`GET build: ${res.status} ${await res.text()}`);
    const build = await res.json<BuildView>();
    if (build.status === 'succeeded' || build.status === 'failed') return build;
    if (Date.now() > until) throw new Error(`build ${id} still ${build.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens GET /v1/builds/:id/log as a WebSocket and collects messages until the server closes it. */
export async function readLogSocket(
  as: SignedUp,
  id: string,
): Promise<
  { type: string; line?: { seq: number; message: string }; build?: { status: string } }[]
> {
  const res = await exports.default.fetch(`${ORIGIN}/v1/builds/${id}/log`, {
    headers: { upgrade: 'websocket', cookie: as.cookie, origin: ORIGIN },
  });
  if (res.status !== 101 || !res.webSocket)
    throw new Error(`log socket: ${res.status} ${await res.text()}`);
  const ws = res.webSocket;
  const messages: { type: string }[] = [];
  const closed = new Promise<void>((resolve) => ws.addEventListener('close', () => resolve()));
  ws.addEventListener('message', (e) => messages.push(JSON.parse(String(e.data))));
  ws.accept();
  await closed;
  return messages;
}
