// Discovery mode: how the server (and each toolset) offers its tools — every tool listed, behind
// search_tools/describe_tools/call_tool, or as typed functions to one run_code (docs/runner.md
// "Discovery modes"). The mode is the ServerSpec field `mode` (and a toolset's `mode`), so a
// change publishes a new version: PATCH /v1/servers/:id is a JSON merge patch (RFC 7396), where
// `null` removes the field (back to automatic) and an array (`toolsets`) replaces the old one.
import { useState } from 'react';
import { modeReason, SEARCH_MODE_THRESHOLD } from '../../../lib/spec/discovery-mode';
import type { ServerSpec } from '../../../lib/spec/server-spec';
import type { DiscoveryMode } from '../../../lib/spec/toolsets';
import { api } from '../api';
import { ErrorBox, Field } from '../ui';

const CHOICES: { value: DiscoveryMode | ''; label: string }[] = [
  { value: '', label: 'Automatic' },
  { value: 'tools', label: 'Tools: list every tool' },
  { value: 'search', label: 'Search: search_tools, describe_tools, call_tool' },
  { value: 'code', label: 'Code: one run_code tool with typed functions' },
];

function ModeSelect(props: {
  id: string;
  label: string;
  value: DiscoveryMode | undefined;
  automatic: string;
  busy: boolean;
  onChange: (mode: DiscoveryMode | null) => void;
}) {
  return (
    <Field label={props.label} id={props.id}>
      <select
        id={props.id}
        value={props.value ?? ''}
        disabled={props.busy}
        onChange={(e) => props.onChange((e.target.value || null) as DiscoveryMode | null)}
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.value === '' ? `${c.label} (${props.automatic})` : c.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function DiscoveryModeSection({
  serverId,
  spec,
  onChanged,
}: {
  serverId: string;
  spec: ServerSpec;
  onChanged: () => void;
}) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const publish = async (patch: Record<string, unknown>) => {
    setBusy(true);
    try {
      await api(`/v1/servers/${encodeURIComponent(serverId)}`, { method: 'PATCH', body: patch });
      setError(undefined);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const toolsets = spec.toolsets ?? [];
  const setToolsetMode = (name: string, mode: DiscoveryMode | null) =>
    void publish({
      toolsets: toolsets.map((ts) => {
        if (ts.name !== name) return ts;
        const { mode: _old, ...rest } = ts;
        return mode ? { ...rest, mode } : rest;
      }),
    });

  return (
    <section aria-labelledby="discovery-mode" className="section">
      <div className="section-head">
        <h2 id="discovery-mode">Discovery mode</h2>
      </div>
      <p className="muted small">
        How clients see the tools. Automatic lists every tool up to {SEARCH_MODE_THRESHOLD} tools
        and switches to search past that, so a big API does not fill the model&apos;s context. Every
        call in any mode is checked against the token&apos;s scopes and audited under the real
        tool&apos;s name. Saving publishes a new version.
      </p>
      <p data-testid="mode-now">
        Now: <strong>{modeReason(spec)}</strong>
      </p>
      <ModeSelect
        id="mode-server"
        label="The server"
        value={spec.mode}
        automatic={modeReason({ tools: spec.tools })}
        busy={busy}
        onChange={(mode) => void publish({ mode })}
      />
      {toolsets.map((ts) => {
        const tools = spec.tools.filter((t) => ts.tools.includes(t.name));
        return (
          <ModeSelect
            key={ts.name}
            id={`mode-toolset-${ts.name}`}
            label={`Toolset ${ts.title ?? ts.name}`}
            value={ts.mode}
            automatic={modeReason(spec, { tools })}
            busy={busy}
            onChange={(mode) => setToolsetMode(ts.name, mode)}
          />
        );
      })}
      <ErrorBox error={error} />
    </section>
  );
}
