// A build's log, live: the WebSocket the build Durable Object streams (DESIGN §2), falling back to
// polling GET /v1/builds/:id when the socket cannot be opened.
import { useEffect, useRef, useState } from 'react';
import { api } from './api';

export type LogLine = {
  at?: string | number;
  level?: string;
  step?: string;
  message?: string;
  text?: string;
};
export type Build = {
  id: string;
  status?: string;
  log?: (LogLine | string)[];
  error?: string | { message?: string; fix?: string } | null;
  reason?: string;
  url?: string;
  version?: number;
};

const DONE = new Set(['succeeded', 'failed', 'cancelled', 'canceled', 'error']);

export function lineText(l: LogLine | string): string {
  if (typeof l === 'string') return l;
  return [l.step ? `[${l.step}]` : '', l.message ?? l.text ?? JSON.stringify(l)]
    .filter(Boolean)
    .join(' ');
}

export function useBuildLog(buildId: string | undefined, onDone?: (b: Build) => void) {
  const [lines, setLines] = useState<(LogLine | string)[]>([]);
  const [build, setBuild] = useState<Build>();
  const [mode, setMode] = useState<'socket' | 'polling'>('socket');
  const done = useRef(onDone);
  done.current = onDone;

  useEffect(() => {
    if (!buildId) return;
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let reported = false;
    const finish = (b: Build) => {
      setBuild(b);
      if (DONE.has(b.status ?? '') && !reported) {
        reported = true;
        done.current?.(b);
      }
    };
    const poll = async () => {
      if (closed) return;
      try {
        const b = await api<Build>(`/v1/builds/${encodeURIComponent(buildId)}`);
        setLines(b.log ?? []);
        finish(b);
        if (DONE.has(b.status ?? '')) return;
      } catch {
        /* keep polling: the build may not be readable for a moment */
      }
      timer = setTimeout(poll, 1000);
    };
    const ws = new WebSocket(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/builds/${encodeURIComponent(buildId)}/log`,
    );
    let opened = false;
    ws.onopen = () => (opened = true);
    ws.onmessage = (e) => {
      let msg: unknown = e.data;
      try {
        msg = JSON.parse(String(e.data));
      } catch {
        /* a plain text line */
      }
      const m = msg as { type?: string; line?: LogLine; build?: Build; status?: string } & LogLine;
      if (
        m &&
        typeof m === 'object' &&
        (m.type === 'done' || m.type === 'status') &&
        (m.build || m.status)
      ) {
        finish(m.build ?? { id: buildId, status: m.status });
        return;
      }
      setLines((cur) => [...cur, m.line ?? (m as LogLine | string)]);
    };
    ws.onclose = () => {
      if (closed) return;
      // The socket closes when the build ends; read the final state (and log) once.
      setMode('polling');
      void poll();
    };
    ws.onerror = () => {
      if (!opened) setMode('polling');
    };
    return () => {
      closed = true;
      clearTimeout(timer);
      ws.close();
    };
  }, [buildId]);

  return { lines, build, mode };
}

export function BuildLog({ lines, live }: { lines: (LogLine | string)[]; live: boolean }) {
  const end = useRef<HTMLLIElement>(null);
  // Braces matter: newer browsers' scrollIntoView returns a Promise, which React would take for a
  // cleanup function.
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'nearest' });
  }, [lines.length]);
  return (
    <ol
      className="build-log"
      aria-live="polite"
      aria-label="Build log"
      data-testid="build-log"
      tabIndex={0}
    >
      {lines.map((l, i) => (
        <li key={i} className={typeof l === 'object' && l.level ? `log-${l.level}` : undefined}>
          {lineText(l)}
        </li>
      ))}
      {live && (
        <li ref={end} className="muted">
          <span className="spinner-dot" aria-hidden="true" /> running…
        </li>
      )}
    </ol>
  );
}
