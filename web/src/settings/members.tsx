// Members and roles, and invitations, of the signed-in user's organization.
import { useState, type FormEvent } from 'react';
import { api, listOf } from '../api';
import { Section } from '../section';
import { useApi } from '../use-api';
import { Code, ErrorBox, Field, when } from '../ui';

type Member = {
  userId?: string;
  id?: string;
  email?: string;
  name?: string | null;
  role: string;
  joinedAt?: string | number;
  createdAt?: string | number;
};
type Invite = {
  id: string;
  email: string;
  role: string;
  expiresAt?: string | number;
  url?: string;
  createdAt?: string | number;
};
const ROLES = ['member', 'admin', 'owner'];

export function Members({ canManage, selfId }: { canManage: boolean; selfId: string }) {
  const state = useApi<unknown>('/v1/me/org/members');
  const [error, setError] = useState<unknown>();
  const setRole = async (m: Member, role: string) => {
    try {
      await api(`/v1/me/org/members/${encodeURIComponent(m.userId ?? m.id ?? '')}`, {
        method: 'PATCH',
        body: { role },
      });
      await state.reload();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async (m: Member) => {
    if (!confirm(`Remove ${m.email ?? 'this member'} from the organization?`)) return;
    try {
      await api(`/v1/me/org/members/${encodeURIComponent(m.userId ?? m.id ?? '')}`, {
        method: 'DELETE',
      });
      await state.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section title="Members" id="members" what="Member management" state={state}>
      {(data) => (
        <>
          <ErrorBox error={error} />
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {listOf<Member>(data, 'members').map((m) => {
                  const id = m.userId ?? m.id ?? '';
                  return (
                    <tr key={id}>
                      <td>
                        {m.name ?? m.email}{' '}
                        {m.name && <span className="muted small">{m.email}</span>}
                      </td>
                      <td>
                        {canManage && id !== selfId ? (
                          <select
                            aria-label={`Role of ${m.email}`}
                            value={m.role}
                            onChange={(e) => setRole(m, e.target.value)}
                          >
                            {ROLES.map((r) => (
                              <option key={r}>{r}</option>
                            ))}
                          </select>
                        ) : (
                          m.role
                        )}
                      </td>
                      <td>{when(m.joinedAt ?? m.createdAt)}</td>
                      <td>
                        {canManage && id !== selfId && (
                          <button
                            type="button"
                            className="btn btn-small btn-danger"
                            onClick={() => remove(m)}
                          >
                            Remove
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  );
}

export function Invites({ canManage }: { canManage: boolean }) {
  const state = useApi<unknown>('/v1/me/org/invites');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('member');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<unknown>();
  const [link, setLink] = useState<string>();
  const emailError = !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
    ? 'Enter the email address to invite.'
    : undefined;
  const invite = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (emailError) return;
    try {
      const created = await api<Invite>('/v1/me/org/invites', {
        method: 'POST',
        body: { email, role },
      });
      setLink(created.url);
      setEmail('');
      setTouched(false);
      setError(undefined);
      await state.reload();
    } catch (err) {
      setError(err);
    }
  };
  const cancel = async (i: Invite) => {
    try {
      await api(`/v1/me/org/invites/${encodeURIComponent(i.id)}`, { method: 'DELETE' });
      await state.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Section title="Invitations" id="invites" what="Invitations" state={state}>
      {(data) => {
        const invites = listOf<Invite>(data, 'invites');
        return (
          <>
            {canManage && (
              <form
                onSubmit={invite}
                className="inline-form"
                noValidate
                aria-label="Invite a member"
              >
                <Field label="Email" id="invite-email" error={touched ? emailError : undefined}>
                  <input
                    id="invite-email"
                    type="email"
                    value={email}
                    onChange={(e) => setEmail(e.target.value)}
                  />
                </Field>
                <Field label="Role" id="invite-role">
                  <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value)}>
                    {ROLES.filter((r) => r !== 'owner').map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </Field>
                <button className="btn btn-primary">Send invitation</button>
              </form>
            )}
            <ErrorBox error={error} />
            {link && <Code label="Invitation link">{link}</Code>}
            {invites.length === 0 ? (
              <p className="muted">No pending invitations.</p>
            ) : (
              <ul className="list">
                {invites.map((i) => (
                  <li key={i.id} className="list-row">
                    {i.email} <span className="badge">{i.role}</span>
                    <span className="muted small">expires {when(i.expiresAt)}</span>
                    {canManage && (
                      <button type="button" className="btn btn-small" onClick={() => cancel(i)}>
                        Cancel
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </>
        );
      }}
    </Section>
  );
}
