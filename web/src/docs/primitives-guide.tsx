// In-app docs: resources, resource templates and prompts in a ServerSpec (docs/runner.md
// "Resources and prompts" is the long form).
import { Code } from '../ui';

const example = {
  resources: [
    {
      uri: 'docs://forecast-guide',
      name: 'forecast_guide',
      title: 'How to read a forecast',
      mimeType: 'text/markdown',
      text: '# Reading a forecast\n…',
    },
  ],
  resourceTemplates: [
    {
      uriTemplate: 'weather://forecast/{city}',
      name: 'forecast',
      mimeType: 'application/json',
      http: {
        method: 'GET',
        url: 'https://api.open-meteo.com/v1/forecast?city={city}',
        headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
      },
    },
  ],
  prompts: [
    {
      name: 'plan_trip',
      description: 'Plan a trip around the weather',
      arguments: [{ name: 'city', required: true }, { name: 'days' }],
      messages: [{ role: 'user', text: 'Plan {days} days in {city} using the forecast.' }],
    },
  ],
};

export function PrimitivesGuide() {
  return (
    <section aria-labelledby="spec-primitives">
      <h2 id="spec-primitives">Resources and prompts</h2>
      <p>
        Beside <code>tools</code>, a spec may declare MCP&apos;s other two primitives.{' '}
        <code>resources</code> are fixed content (<code>text</code>, or base64 <code>blob</code>;
        256 KiB each, 1 MiB together). <code>resourceTemplates</code> are read through an HTTP call
        exactly like a tool: each <code>{'{name}'}</code> of the <code>uriTemplate</code> (RFC 6570
        simple expressions only) fills the same placeholder in the call, with the same egress,
        secret and redaction rules. <code>prompts</code> replace <code>{'{argument}'}</code> in each
        message&apos;s text.
      </p>
      <p>
        Each may name <code>scopes</code>; without them it needs <code>mcp:read</code>. Clients see
        only what their token&apos;s scopes cover, and reading or getting anything else is answered{' '}
        <code>403 insufficient_scope</code>. Resource reads are audited as{' '}
        <code>resource.read</code>.
      </p>
      <Code label="Resources, a template and a prompt">{JSON.stringify(example, null, 2)}</Code>
    </section>
  );
}
