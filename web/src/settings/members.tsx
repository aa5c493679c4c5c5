// Members and roles, and invitations, of the signed-in user's organization (from GET /v1/me/org;
// changes go to /v1/me/org/members/:userId and /v1/me/org/invites).
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Code, ErrorBox, Field, when } from '../ui';

export type Member = {
  userId: string;
  email: string;
  name?: string | null;
  role: string;
  joinedAt?: number;
};
export type Invite = {
  id: string;
  email: string;
  role: string;
  expiresAt?: number;
  createdAt?: number;
};
const ROLES = ['member', 'admin', 'owner'];

export function Members(props: {
  members: Member[];
  canManage: boolean;
  selfId: string;
  onChanged: () => void;
}) {
  const [error, setError] = useState<unknown>();
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setError(undefined);
    } catch (err) {
      setError(err);
    }
    props.onChanged();
  };
  const setRole = (m: Member, role: string) =>
    act(() =>
      api(`/v1/me/org/members/${encodeURIComponent(m.userId)}`, {
        method: 'PATCH',
        body: { role },
      }),
    );
  const remove = (m: Member) => {
    const self = m.userId === props.selfId;
    if (!confirm(self ? 'Leave this organization?' : `Remove ${m.email} from the organization?`))
      return;
    void act(() => api(`/v1/me/org/members/${encodeURIComponent(m.userId)}`, { method: 'DELETE' }));
  };
  return (
    <section aria-labelledby="members" className="section">
      <h2 id="members">Members</h2>
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
            {props.members.map((m) => {
              const self = m.userId === props.selfId;
              return (
                <tr key={m.userId}>
                  <td>
                    {m.name ?? m.email} {m.name && <span className="muted small">{m.email}</span>}
                    {self && <span className="badge">you</span>}
                  </td>
                  <td>
                    {props.canManage && !self ? (
                      <select
                        aria-label={`Role of ${m.email}`}
                        value={m.role}
                        onChange={(e) => void setRole(m, e.target.value)}
                      >
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    ) : (
                      m.role
                    )}
                  </td>
                  <td>{when(m.joinedAt)}</td>
                  <td>
                    {(props.canManage || self) && (
                      <button
                        type="button"
                        className="btn btn-small btn-danger"
                        onClick={() => remove(m)}
                      >
                        {self ? 'Leave' : 'Remove'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Invites(props: { invites: Invite[]; canManage: boolean; onChanged: () => void }) {
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
      const created = await api<{ url?: string }>('/v1/me/org/invites', {
        method: 'POST',
        body: { email, role },
      });
      setLink(created.url);
      setEmail('');
      setTouched(false);
      setError(undefined);
      props.onChanged();
    } catch (err) {
      setError(err);
    }
  };
  const cancel = async (i: Invite) => {
    try {
      await api(`/v1/me/org/invites/${encodeURIComponent(i.id)}`, { method: 'DELETE' });
      props.onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="invites" className="section">
      <h2 id="invites">Invitations</h2>
      {props.canManage ? (
        <form onSubmit={invite} className="inline-form" noValidate aria-label="Invite a member">
          <Field label="Email" id="invite-email" error={touched ? emailError : undefined}>
            <input
              id="invite-email"
              type="email"
              value={email}
              aria-invalid={touched && !!emailError}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <Field label="Role" id="invite-role">
            <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value)}>
              <option>member</option>
              <option>admin</option>
            </select>
          </Field>
          <button className="btn btn-primary">Create invitation link</button>
        </form>
      ) : (
        <p className="muted">Owners and admins can invite members.</p>
      )}
      <ErrorBox error={error} />
      {link && (
        <div className="alert alert-ok" role="status" data-testid="invite-link">
          <p>
            <strong>Send this link to the invitee.</strong> It is shown once and works for 7 days;
            no email is sent.
          </p>
          <Code label="Invitation link">{link}</Code>
        </div>
      )}
      {props.invites.length === 0 ? (
        <p className="muted">No pending invitations.</p>
      ) : (
        <ul className="list">
          {props.invites.map((i) => (
            <li key={i.id} className="list-row">
              {i.email} <span className="badge">{i.role}</span>
              <span className="muted small">expires {when(i.expiresAt)}</span>
              {props.canManage && (
                <button type="button" className="btn btn-small" onClick={() => void cancel(i)}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
