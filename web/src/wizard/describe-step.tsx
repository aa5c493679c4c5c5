// Wizard step 1: describe the API (prompt, OpenAPI upload/paste, or a ServerSpec) and name the
// server; POST /v1/servers/preview proposes a spec and publishes nothing.
import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { RESERVED_SLUGS, SLUG_PATTERN } from '../../../lib/spec/server-spec';
import type { OperationSummary, Preview, SlugAvailability } from '../../../lib/api/preview';
import type { ServerList } from '../../../lib/api/servers';
import { api } from '../api';
import { ErrorBox, Field, Spinner } from '../ui';

export type Source = 'openapi' | 'prompt' | 'spec';
export type Operation = OperationSummary;
export type { Preview };
export type Described = { source: Source; text: string; name: string; slug: string };

const SOURCES: [Source, string, string][] = [
  ['openapi', 'OpenAPI', 'Upload or paste an OpenAPI 3.0/3.1 document (JSON or YAML).'],
  ['prompt', 'Prompt', 'Describe the API and what the tools should do; an LLM drafts the spec.'],
  ['spec', 'ServerSpec JSON', 'Paste a hand-written ServerSpec (see Docs → Authoring tools).'],
];

export function slugify(name: string): string {
  const s = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s;
}

function slugProblem(slug: string): string | undefined {
  if (!slug) return 'Choose a slug: it becomes part of the MCP URL.';
  if (!SLUG_PATTERN.test(slug))
    return '3–40 characters: lowercase letters, digits and -, starting with a letter and not ending with -.';
  if (RESERVED_SLUGS.has(slug)) return 'This slug is reserved by the platform.';
  return undefined;
}

/** POST /v1/servers/preview; `operations` re-selects the OpenAPI operations to turn into tools. */
export async function requestPreview(d: Described, operations?: string[]): Promise<Preview> {
  const source =
    d.source === 'spec' ? { spec: JSON.parse(d.text) as unknown } : { [d.source]: d.text };
  const body = {
    ...source,
    ...(d.name ? { name: d.name } : {}),
    ...(d.slug ? { slug: d.slug } : {}),
    ...(operations ? { operations } : {}),
  };
  return api<Preview>('/v1/servers/preview', { method: 'POST', body });
}

/** Live availability from GET /v1/slugs/:slug, debounced; undefined while unknown. */
function useSlugAvailability(slug: string, enabled: boolean): SlugAvailability | undefined {
  const [check, setCheck] = useState<SlugAvailability>();
  useEffect(() => {
    setCheck(undefined);
    if (!enabled) return;
    const ctl = new AbortController();
    const t = setTimeout(() => {
      api<SlugAvailability>(`/v1/slugs/${encodeURIComponent(slug)}`, { signal: ctl.signal }).then(
        setCheck,
        () => {},
      );
    }, 250);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [slug, enabled]);
  return check;
}

export function DescribeStep(props: {
  initial: Described;
  onPreview: (d: Described, p: Preview) => void;
}) {
  const [d, setD] = useState<Described>(props.initial);
  const [slugEdited, setSlugEdited] = useState(props.initial.slug !== '');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [mine, setMine] = useState<Set<string>>();

  useEffect(() => {
    api<ServerList>('/v1/servers').then(
      (r) => setMine(new Set(r.servers.map((s) => s.slug))),
      () => setMine(new Set()),
    );
  }, []);

  const set = (patch: Partial<Described>) => setD((cur) => ({ ...cur, ...patch }));
  const onName = (name: string) => set(slugEdited ? { name } : { name, slug: slugify(name) });

  const textProblem = !d.text.trim()
    ? d.source === 'prompt'
      ? 'Describe the server you want.'
      : d.source === 'openapi'
        ? 'Upload or paste an OpenAPI document.'
        : 'Paste a ServerSpec.'
    : d.source === 'spec' && !isJsonObject(d.text)
      ? 'This is not a JSON object.'
      : undefined;
  const nameProblem = d.source !== 'spec' && !d.name.trim() ? 'Give the server a name.' : undefined;
  const slugIssue = d.source !== 'spec' || d.slug ? slugProblem(d.slug) : undefined;
  const check = useSlugAvailability(d.slug, !!d.slug && !slugIssue);
  // Rebuilding one of your own servers under its slug is allowed (POST /v1/builds updates it).
  const own = mine?.has(d.slug);
  const slugTaken = !slugIssue && check && !check.available && !own ? check.message : undefined;
  const slugHint = !d.slug
    ? 'Lowercase, part of the MCP URL.'
    : own
      ? `You already have a server at /${d.slug}/mcp: building updates it with a new version.`
      : check?.available
        ? `✓ ${d.slug} is available: the URL ends in /${d.slug}/mcp`
        : 'Checking availability…';

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    if (file.size > 2_000_000)
      return setError(new Error('That file is over 2 MB; upload a smaller document.'));
    set({ text: await file.text() });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (textProblem || nameProblem || slugIssue || slugTaken) return;
    setBusy(true);
    setError(undefined);
    try {
      props.onPreview(d, await requestPreview(d));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Describe your API">
      <fieldset className="tabs">
        <legend>How do you want to describe the API?</legend>
        {SOURCES.map(([id, label]) => (
          <label key={id} className={`tab${d.source === id ? ' tab-active' : ''}`}>
            <input
              type="radio"
              name="source"
              value={id}
              checked={d.source === id}
              onChange={() => set({ source: id, text: '' })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <p className="muted">{SOURCES.find(([id]) => id === d.source)?.[2]}</p>
      {d.source === 'openapi' && (
        <Field
          label="OpenAPI file"
          id="openapi-file"
          hint="JSON or YAML, up to 2 MB. Or paste it below."
        >
          <input
            id="openapi-file"
            type="file"
            accept=".json,.yaml,.yml,application/json,text/yaml"
            onChange={onFile}
          />
        </Field>
      )}
      <Field
        label={
          d.source === 'prompt'
            ? 'Prompt'
            : d.source === 'openapi'
              ? 'OpenAPI document'
              : 'ServerSpec (JSON)'
        }
        id="source-text"
        error={touched ? textProblem : undefined}
        hint={
          d.source === 'prompt'
            ? 'For example: “a server that looks up GitHub issues and can comment on them”. Never paste credentials here.'
            : undefined
        }
      >
        <textarea
          id="source-text"
          rows={d.source === 'prompt' ? 5 : 14}
          className={d.source === 'prompt' ? '' : 'mono'}
          value={d.text}
          spellCheck={d.source === 'prompt'}
          aria-invalid={touched && !!textProblem}
          onChange={(e) => set({ text: e.target.value })}
        />
      </Field>
      <div className="row">
        <Field label="Name" id="server-name" error={touched ? nameProblem : undefined}>
          <input
            id="server-name"
            value={d.name}
            onChange={(e) => onName(e.target.value)}
            aria-invalid={touched && !!nameProblem}
          />
        </Field>
        <Field
          label="Slug"
          id="server-slug"
          error={d.slug || touched ? (slugIssue ?? slugTaken) : undefined}
          hint={<span data-testid="slug-status">{slugHint}</span>}
        >
          <input
            id="server-slug"
            value={d.slug}
            onChange={(e) => {
              setSlugEdited(true);
              set({ slug: e.target.value.toLowerCase() });
            }}
            aria-invalid={!!(slugIssue ?? slugTaken) && (touched || !!d.slug)}
          />
        </Field>
      </div>
      <ErrorBox error={error} />
      {busy && (
        <Spinner
          label={d.source === 'prompt' ? 'Asking the model for a draft…' : 'Reading the document…'}
        />
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Preview tools
        </button>
      </div>
    </form>
  );
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}
