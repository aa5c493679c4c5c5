// Settings: organization, plan and usage, encryption, members, invitations, API keys, machine
// clients (GET /v1/me/org has all but the keys and clients), the apps the signed-in user
// connected to servers, and the accounts they linked for servers to act as them.
import type { ConnectedAppList } from '../../../lib/api/grants';
import type { OrgOverview, OrgUsage } from '../../../lib/api/org';
import { api } from '../api';
import { Section } from '../section';
import { GrantsTable, connectedAppRow, type GrantRow } from '../server/clients';
import { useSession } from '../session';
import { ApiKeys } from '../settings/api-keys';
import { ConnectedAccounts } from '../settings/connected-accounts';
import { MachineClients } from '../settings/machine-clients';
import { Invites, Members } from '../settings/members';
import { SignInRequired, Spinner, when } from '../ui';
import { useApi } from '../use-api';

const USAGE_LABELS: Record<keyof OrgUsage, string> = {
  servers: 'Servers',
  members: 'Members',
  apiKeys: 'Active API keys',
  secrets: 'Stored secrets',
  pendingInvites: 'Pending invitations',
  builds: 'Builds',
  toolCalls30d: 'Tool calls (30 days)',
};

export default function Settings() {
  const { state } = useSession();
  const signedIn = state.status === 'signed-in';
  const org = useApi<OrgOverview>(signedIn ? '/v1/me/org' : undefined);
  const grants = useApi<ConnectedAppList>(signedIn ? '/v1/me/grants' : undefined);
  if (state.status === 'loading') return <Spinner label="Loading…" />;
  if (state.status !== 'signed-in') return <SignInRequired />;
  const revoke = async (g: GrantRow) => {
    if (!confirm(`Disconnect ${g.client}? It must ask for consent again.`)) return;
    await api(`/v1/me/grants/${encodeURIComponent(g.id)}`, { method: 'DELETE' });
    await grants.reload();
  };
  const reload = () => void org.reload();
  return (
    <div>
      <h1>Settings</h1>
      <Section title="Organization" id="org" state={org}>
        {(o) => {
          const canManage = o.role === 'owner' || o.role === 'admin';
          const enc = o.encryption;
          return (
            <>
              <dl className="facts">
                <dt>Name</dt>
                <dd>
                  {o.org.name} {o.org.personal && <span className="badge">personal</span>}
                </dd>
                <dt>ID</dt>
                <dd>
                  <code>{o.org.id}</code>
                </dd>
                <dt>Your role</dt>
                <dd>{o.role}</dd>
                <dt>Created</dt>
                <dd>{when(o.org.createdAt)}</dd>
                <dt>Plan</dt>
                <dd>
                  <span className="badge badge-ok">{o.plan}</span>
                </dd>
              </dl>
              <h3>Usage</h3>
              <dl className="facts" data-testid="usage">
                {(Object.keys(USAGE_LABELS) as (keyof OrgUsage)[]).map((k) => (
                  <div key={k} className="fact">
                    <dt>{USAGE_LABELS[k]}</dt>
                    <dd>{o.usage[k]}</dd>
                  </div>
                ))}
              </dl>
              <h3>Encryption</h3>
              <dl className="facts" data-testid="encryption">
                <dt>Scheme</dt>
                <dd>{enc.algorithm}</dd>
                <dt>Current master key version</dt>
                <dd>v{enc.currentKeyVersion}</dd>
                <dt>Secrets</dt>
                <dd>{enc.secrets}</dd>
                {enc.keyVersions.map((v) => (
                  <div key={v.version} className="fact">
                    <dt>Under key v{v.version}</dt>
                    <dd>{v.secrets}</dd>
                  </div>
                ))}
                <dt>On older keys</dt>
                <dd>
                  {enc.secretsOnOldKeys}
                  {enc.secretsOnOldKeys ? ' — re-save them to move to the current key' : ''}
                </dd>
              </dl>
              <Members
                members={o.members}
                canManage={canManage}
                selfId={state.me.user.id}
                onChanged={reload}
              />
              <Invites invites={o.invites} canManage={canManage} onChanged={reload} />
            </>
          );
        }}
      </Section>
      <ApiKeys />
      <MachineClients
        selfId={state.me.user.id}
        canManage={org.data?.role === 'owner' || org.data?.role === 'admin'}
      />
      <Section title="Connected apps" id="grants" state={grants}>
        {(data) => (
          <GrantsTable grants={data.grants.map(connectedAppRow)} onRevoke={revoke} showServer />
        )}
      </Section>
      <ConnectedAccounts />
    </div>
  );
}
