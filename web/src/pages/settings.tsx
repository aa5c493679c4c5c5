// Settings: organization, plan and usage, encryption, members, invitations, API keys, and the
// apps the signed-in user connected to servers.
import { api, listOf } from '../api';
import { Section } from '../section';
import { GrantsTable, type Grant } from '../server/clients';
import { useSession } from '../session';
import { ApiKeys } from '../settings/api-keys';
import { Invites, Members } from '../settings/members';
import { SignInRequired, Spinner, when } from '../ui';
import { useApi } from '../use-api';

type Org = {
  id: string;
  name?: string;
  slug?: string;
  role?: string;
  createdAt?: string | number;
  plan?: string | { name?: string; limits?: Record<string, number> };
  usage?: Record<string, number>;
  limits?: Record<string, number>;
  encryption?: {
    masterKeyVersion?: number | string;
    secretsByVersion?: Record<string, number>;
    algorithm?: string;
  };
};

function humanize(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]/g, ' ')
    .toLowerCase();
}

export default function Settings() {
  const { state } = useSession();
  const signedIn = state.status === 'signed-in';
  const org = useApi<Org | { org: Org }>(signedIn ? '/v1/me/org' : undefined);
  const grants = useApi<unknown>(signedIn ? '/v1/me/grants' : undefined);
  if (state.status === 'loading') return <Spinner label="Loading…" />;
  if (state.status !== 'signed-in') return <SignInRequired />;
  const role = state.me.role;
  const canManage = role === 'owner' || role === 'admin';
  const revoke = async (g: Grant) => {
    if (
      !confirm(
        `Disconnect ${g.clientName ?? g.clientId ?? 'this app'}? Its tokens stop working now.`,
      )
    )
      return;
    await api(`/v1/me/grants/${encodeURIComponent(g.id)}`, { method: 'DELETE' });
    await grants.reload();
  };
  return (
    <div>
      <h1>Settings</h1>
      <Section title="Organization" id="org" what="Organization details" state={org}>
        {(data) => {
          const o = 'org' in data ? data.org : data;
          const plan = typeof o.plan === 'string' ? o.plan : o.plan?.name;
          const limits = o.limits ?? (typeof o.plan === 'object' ? o.plan.limits : undefined) ?? {};
          return (
            <>
              <dl className="facts">
                <dt>Name</dt>
                <dd>{o.name ?? '—'}</dd>
                <dt>ID</dt>
                <dd>
                  <code>{o.id}</code>
                </dd>
                <dt>Your role</dt>
                <dd>{o.role ?? role ?? '—'}</dd>
                <dt>Created</dt>
                <dd>{when(o.createdAt)}</dd>
                <dt>Plan</dt>
                <dd>{plan ?? 'not reported by the API'}</dd>
              </dl>
              <h3>Usage</h3>
              {o.usage ? (
                <dl className="facts">
                  {Object.entries(o.usage).map(([k, v]) => (
                    <div key={k} className="fact">
                      <dt>{humanize(k)}</dt>
                      <dd>
                        {v}
                        {limits[k] !== undefined && ` of ${limits[k]}`}
                      </dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <p className="muted">Usage counters are not reported by this platform's API yet.</p>
              )}
              <h3>Encryption</h3>
              {o.encryption ? (
                <dl className="facts">
                  <dt>Master key version</dt>
                  <dd>{o.encryption.masterKeyVersion ?? '—'}</dd>
                  <dt>Algorithm</dt>
                  <dd>{o.encryption.algorithm ?? 'AES-256-GCM envelope'}</dd>
                  {Object.entries(o.encryption.secretsByVersion ?? {}).map(([v, n]) => (
                    <div key={v} className="fact">
                      <dt>Secrets under key v{v}</dt>
                      <dd>{n}</dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <p className="muted">
                  Secrets are envelope-encrypted (a data key per secret, wrapped by the master key).
                  Key version counts are not reported by this platform's API yet.
                </p>
              )}
            </>
          );
        }}
      </Section>
      <Members canManage={canManage} selfId={state.me.user.id} />
      <Invites canManage={canManage} />
      <ApiKeys />
      <Section title="Connected apps" id="grants" what="Connected apps" state={grants}>
        {(data) => (
          <GrantsTable grants={listOf<Grant>(data, 'grants')} onRevoke={revoke} showServer />
        )}
      </Section>
    </div>
  );
}
