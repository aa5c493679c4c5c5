// Members and roles, and invitations, of the signed-in user's organization (from GET /v1/me/org;
// changes go to /v1/me/org/members/:userId and /v1/me/org/invites).
import { useState, type FormEvent } from 'react';
import type { CreatedInvite, Invite, Member, Role } from '../../../lib/api/org';
import { api } from '../api';
import { Table } from '../table';
import { Code, ErrorBox, Field, when } from '../ui';

const ROLES: Role[] = ['member', 'admin', 'owner'];

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
  const setRole = (m: Member, role: Role) =>
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
      <Table<Member>
        rows={props.members}
        rowKey={(m) => m.userId}
        empty="No members."
        columns={[
          {
            header: 'Member',
            cell: (m) => (
              <>
                {m.name ?? m.email} {m.name && <span className="muted small">{m.email}</span>}
                {m.userId === props.selfId && <span className="badge">you</span>}
              </>
            ),
          },
          {
            header: 'Role',
            cell: (m) =>
              props.canManage && m.userId !== props.selfId ? (
                <select
                  aria-label={`Role of ${m.email}`}
                  value={m.role}
                  onChange={(e) => void setRole(m, e.target.value as Role)}
                >
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              ) : (
                m.role
              ),
          },
          { header: 'Joined', cell: (m) => when(m.joinedAt) },
          {
            header: 'Actions',
            hidden: true,
            cell: (m) =>
              (props.canManage || m.userId === props.selfId) && (
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  onClick={() => remove(m)}
                >
                  {m.userId === props.selfId ? 'Leave' : 'Remove'}
                </button>
              ),
          },
        ]}
      />
    </section>
  );
}

export function Invites(props: { invites: Invite[]; canManage: boolean; onChanged: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Invite['role']>('member');
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
      const created = await api<CreatedInvite>('/v1/me/org/invites', {
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
            <select
              id="invite-role"
              value={role}
              onChange={(e) => setRole(e.target.value as Invite['role'])}
            >
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
      <Table<Invite>
        rows={props.invites}
        rowKey={(i) => i.id}
        empty="No pending invitations."
        columns={[
          { header: 'Email', cell: (i) => i.email },
          { header: 'Role', cell: (i) => <span className="badge">{i.role}</span> },
          { header: 'Expires', cell: (i) => when(i.expiresAt), className: 'muted small' },
          props.canManage && {
            header: 'Actions',
            hidden: true,
            cell: (i) => (
              <button type="button" className="btn btn-small" onClick={() => void cancel(i)}>
                Revoke
              </button>
            ),
          },
        ]}
      />
    </section>
  );
}
