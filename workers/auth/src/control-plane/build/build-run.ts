// BuildRun: one build of one server version (issue 7). The route creates the D1 row and calls
// start(); the build runs in the alarm handler (which may run for minutes), appends each log line
// to DO storage, streams it to every connected WebSocket (hibernation API) and writes the log
// through to D1, so GET /v1/builds/:id reads it during and after the build.
import { DurableObject } from 'cloudflare:workers';
import type {
  BuildFailure,
  BuildLogLine,
  BuildOptions,
  BuildStatus,
} from '../../../../../lib/build/build-log';
import { runBuild, type BuildOutcome, type Log } from './pipeline';
import { auditStatement } from '../../store/audit';
import { updateBuildStatement } from '../../store/builds';

export type BuildRecord = {
  id: string;
  serverId: string;
  orgId: string;
  slug: string;
  createdBy: string;
  spec: unknown;
  options: BuildOptions;
  status: BuildStatus;
  version?: number;
  failure?: BuildFailure;
  finishedAt?: number;
};

const TERMINAL = new Set<BuildStatus>(['succeeded', 'failed']);
const logKey = (seq: number) => `log:${String(seq).padStart(6, '0')}`;

export class BuildRun extends DurableObject<Env> {
  #lines: BuildLogLine[] | undefined;
  #buildId: string | undefined;

  /** Stores the build and schedules it to run now; a second call for the same build is a no-op. */
  async start(record: Omit<BuildRecord, 'status'>): Promise<void> {
    if (await this.ctx.storage.get('build')) return;
    await this.ctx.storage.put('build', { ...record, status: 'queued' } satisfies BuildRecord);
    await this.ctx.storage.setAlarm(Date.now());
  }

  override async alarm(): Promise<void> {
    const build = await this.ctx.storage.get<BuildRecord>('build');
    if (!build || TERMINAL.has(build.status)) return;
    this.#buildId = build.id;
    let outcome: BuildOutcome;
    if (build.status === 'running') {
      // A retried alarm: the object was interrupted (or its final write failed) and its
      // in-memory state is gone. Finish with the outcome it reached, or report the interruption,
      // rather than leave the build "running" forever.
      this.#lines = [...(await this.ctx.storage.list<BuildLogLine>({ prefix: 'log:' })).values()];
      const step = this.#lines.at(-1)?.step ?? 'validate';
      outcome = (await this.ctx.storage.get<BuildOutcome>('outcome')) ?? {
        status: 'failed',
        failure: { step, message: 'The build was interrupted.', fix: 'Run the build again.' },
      };
    } else {
      build.status = 'running';
      await this.ctx.storage.put('build', build);
      this.#lines = [];
      outcome = await runBuild(
        this.env,
        {
          buildId: build.id,
          serverId: build.serverId,
          createdBy: build.createdBy,
          spec: build.spec,
          options: build.options,
        },
        this.#log,
      );
    }
    await this.#finish(build, outcome);
  }

  async #finish(build: BuildRecord, outcome: BuildOutcome): Promise<void> {
    if (!(await this.ctx.storage.get('outcome'))) {
      if (outcome.status === 'failed') {
        const { step, message, fix } = outcome.failure;
        await this.#log(step, 'error', `Build failed: ${message} Fix: ${fix}`);
      } else {
        await this.#log('smoke', 'ok', `Build succeeded: version ${outcome.version} is live.`);
      }
      await this.ctx.storage.put('outcome', outcome);
    }
    const finished: BuildRecord = {
      ...build,
      status: outcome.status,
      ...(outcome.status === 'succeeded'
        ? { version: outcome.version }
        : { failure: outcome.failure }),
      finishedAt: Date.now(),
    };
    // D1 first: if it fails the alarm is retried and finds the build still "running".
    await this.env.DB.batch([
      updateBuildStatement(this.env.DB, {
        id: build.id,
        status: finished.status,
        log: this.#lines ?? [],
        version: finished.version ?? null,
        error: finished.failure ? JSON.stringify(finished.failure) : null,
        finishedAt: finished.finishedAt ?? null,
      }),
      auditStatement(this.env.DB, {
        orgId: build.orgId,
        actor: build.createdBy,
        action: outcome.status === 'succeeded' ? 'build.succeeded' : 'build.failed',
        resource: build.serverId,
        metadata: {
          build: build.id,
          slug: build.slug,
          ...(outcome.status === 'succeeded'
            ? { version: outcome.version, smoke: outcome.smoke }
            : { step: outcome.failure.step, reason: outcome.failure.message }),
        },
      }),
    ]);
    await this.ctx.storage.put('build', finished);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(JSON.stringify({ type: 'done', build: doneView(finished) }));
        ws.close(1000, 'build finished');
      } catch {
        /* the client went away */
      }
    }
  }

  /** GET /v1/builds/:id/log, forwarded by the route after its checks: a WebSocket of log lines. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('Expected a WebSocket upgrade.', { status: 426 });
    }
    const build = await this.ctx.storage.get<BuildRecord>('build');
    const lines = this.#lines ?? [
      ...(await this.ctx.storage.list<BuildLogLine>({ prefix: 'log:' })).values(),
    ];
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    // No await between the snapshot and accept/replay: a line logged meanwhile cannot be lost.
    for (const line of lines) server.send(JSON.stringify({ type: 'line', line }));
    if (build && TERMINAL.has(build.status)) {
      server.send(JSON.stringify({ type: 'done', build: doneView(build) }));
      server.close(1000, 'build finished');
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(): Promise<void> {
    /* the log is one-way */
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 ? 1000 : code, 'closing');
    } catch {
      /* already closed */
    }
  }

  #log: Log = async (step, level, message, extra) => {
    const lines = (this.#lines ??= []);
    const line: BuildLogLine = {
      seq: lines.length + 1,
      at: Date.now(),
      step,
      level,
      message,
      ...extra,
    };
    lines.push(line);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(JSON.stringify({ type: 'line', line }));
      } catch {
        /* the client went away */
      }
    }
    await this.ctx.storage.put(logKey(line.seq), line);
    if (this.#buildId) {
      await updateBuildStatement(this.env.DB, {
        id: this.#buildId,
        status: 'running',
        log: lines,
      }).run();
    }
  };
}

function doneView(b: BuildRecord) {
  return {
    id: b.id,
    status: b.status,
    version: b.version ?? null,
    error: b.failure ?? null,
  };
}
