// A build's log, live: the WebSocket the build Durable Object streams (DESIGN §2), falling back to
// polling GET /v1/builds/:id when the socket cannot be opened.
import { useEffect, useRef, useState } from 'react';
import type { Build, BuildLogLine, BuildLogMessage, BuildOutcome } from '../../lib/api/builds';
import { api } from './api';

const done = (b: BuildOutcome) => b.status === 'succeeded' || b.status === 'failed';

export const lineText = (l: BuildLogLine) => `[${l.step}] ${l.message}`;

export function useBuildLog(buildId: string | undefined, onDone?: (b: BuildOutcome) => void) {
  const [lines, setLines] = useState<BuildLogLine[]>([]);
  const [build, setBuild] = useState<BuildOutcome>();
  const [mode, setMode] = useState<'socket' | 'polling'>('socket');
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;

  useEffect(() => {
    if (!buildId) return;
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let reported = false;
    const finish = (b: BuildOutcome) => {
      setBuild(b);
      if (done(b) && !reported) {
        reported = true;
        onDoneRef.current?.(b);
      }
    };
    const poll = async () => {
      if (closed) return;
      try {
        const b = await api<Build>(`/v1/builds/${encodeURIComponent(buildId)}`);
        setLines(b.log);
        finish(b);
        if (done(b)) return;
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
      const m = JSON.parse(String(e.data)) as BuildLogMessage;
      if (m.type === 'done') finish(m.build);
      else setLines((cur) => [...cur, m.line]);
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

export function BuildLog({ lines, live }: { lines: BuildLogLine[]; live: boolean }) {
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
        <li key={i} className={`log-${l.level}`}>
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
