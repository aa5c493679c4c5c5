// Real transcripts from this platform: the page runs the discovery requests itself and shows the
// exact responses, so what you read is what your client will get.
import { useEffect, useState } from 'react';
import { Code, Spinner } from '../ui';

type Exchange = { command: string; output: string };

async function transcript(path: string): Promise<Exchange> {
  const url = `${location.origin}${path}`;
  try {
    const res = await fetch(url, { credentials: 'omit', cache: 'no-store' });
    const headers = ['content-type', 'cache-control']
      .map((h) => (res.headers.get(h) ? `${h}: ${res.headers.get(h)}` : ''))
      .filter(Boolean);
    let body = await res.text();
    try {
      body = JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      body = body.slice(0, 400);
    }
    return {
      command: `$ curl -i ${url}`,
      output: [`HTTP/1.1 ${res.status} ${res.statusText}`, ...headers, '', body].join('\n'),
    };
  } catch (err) {
    return { command: `$ curl -i ${url}`, output: `(request failed: ${(err as Error).message})` };
  }
}

export function LiveTranscript({ path, label }: { path: string; label: string }) {
  const [ex, setEx] = useState<Exchange>();
  useEffect(() => {
    void transcript(path).then(setEx);
  }, [path]);
  if (!ex) return <Spinner label={`Requesting ${path}…`} />;
  return <Code label={label}>{`${ex.command}\n${ex.output}`}</Code>;
}
