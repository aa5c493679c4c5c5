// Every `action` the platform writes to audit_events. The auth Worker's audit writer and the
// runner take `AuditAction`, so an event the dashboard cannot name is a type error, and the
// wire schema (audit.ts) refuses one it does not know.

export const AUDIT_ACTIONS = [
  'api_key.created',
  'api_key.revoked',
  'build.failed',
  'build.started',
  'build.succeeded',
  'connection.link_failed',
  'connection.linked',
  'connection.reconnect_needed',
  'connection.refreshed',
  'connection.removed',
  'member.invite_revoked',
  'member.invited',
  'member.joined',
  'member.removed',
  'member.role_changed',
  'oauth.client.registered',
  'oauth.client.revoked',
  'oauth.code.issued',
  'oauth.consent.denied',
  'oauth.consent.granted',
  'oauth.grant.revoked',
  'oauth.refresh.reuse_detected',
  'oauth.signing_key.rotated',
  'oauth.token.introspected',
  'oauth.token.issued',
  'oauth.token.refreshed',
  'oauth.token.revoked',
  'server.created',
  'server.deleted',
  'server.secret.deleted',
  'server.secret.set',
  'resource.read',
  'server.updated',
  'tool.call',
  'user.login',
  'user.login_failed',
  'user.logout',
  'user.signup',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}
