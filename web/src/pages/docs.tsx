// Docs: quickstart, MCP concepts, the OAuth 2.1 flow, authoring tools (ServerSpec reference
// generated from the schema), self-hosting, API reference, FAQ. One file per topic in docs/topics/.
import type { ComponentType } from 'react';
import { Link } from '../router';
import { ApiTopic } from '../docs/topics/api';
import { Authoring } from '../docs/topics/authoring';
import { Concepts } from '../docs/topics/concepts';
import { DiscoveryModes } from '../docs/topics/discovery-modes';
import { Connections } from '../docs/topics/connections';
import { Faq } from '../docs/topics/faq';
import { OAuthFlow } from '../docs/topics/oauth';
import { Quickstart } from '../docs/topics/quickstart';
import { ResponseShaping } from '../docs/topics/response-shaping';
import { SelfHosting } from '../docs/topics/self-hosting';
import { Toolsets } from '../docs/topics/toolsets';

const TOPICS: [string, string, ComponentType][] = [
  ['quickstart', 'Quickstart', Quickstart],
  ['concepts', 'MCP concepts', Concepts],
  ['oauth', 'The OAuth 2.1 flow', OAuthFlow],
  ['authoring', 'Authoring tools', Authoring],
  ['toolsets', 'Toolsets', Toolsets],
  ['discovery-modes', 'Discovery modes', DiscoveryModes],
  ['response-shaping', 'Response shaping', ResponseShaping],
  ['connections', 'Per-user connections', Connections],
  ['self-hosting', 'Self-hosting and deploy', SelfHosting],
  ['api', 'API reference', ApiTopic],
  ['faq', 'FAQ', Faq],
];

export default function Docs({ params }: { params: Record<string, string> }) {
  const id = params.topic ?? 'quickstart';
  const topic = TOPICS.find(([t]) => t === id);
  const Body = topic?.[2];
  return (
    <div className="docs">
      <nav aria-label="Docs" className="docs-nav">
        <ul>
          {TOPICS.map(([t, label]) => (
            <li key={t}>
              <Link href={`/docs/${t}`} aria-current={t === id ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <article className="docs-body">
        <h1>{topic?.[1] ?? 'Not found'}</h1>
        {Body ? <Body /> : <p>No such page. Pick a topic from the list.</p>}
      </article>
    </div>
  );
}
