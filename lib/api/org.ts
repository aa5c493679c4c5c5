// GET /v1/me/org (the caller's org, its members, invites, keys, usage and encryption), and the
// answers of its member and invite endpoints.
import { z } from 'zod';
import { ApiKeySchema } from './api-keys';
import { EpochMsSchema } from './time';

export const RoleSchema = z.enum(['owner', 'admin', 'member']);
export const PlanSchema = z.enum(['free', 'team', 'enterprise']);

export const OrgSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  personal: z.boolean(),
  plan: PlanSchema,
  createdAt: EpochMsSchema,
});

export const MemberSchema = z.strictObject({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: RoleSchema,
  joinedAt: EpochMsSchema,
});

export const InviteSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'member']),
  invitedBy: z.string(),
  createdAt: EpochMsSchema,
  expiresAt: EpochMsSchema,
});

/** 201 of POST /v1/me/org/invites: the link is returned this once (no mail is sent). */
export const CreatedInviteSchema = InviteSchema.extend({ url: z.string() });

export const OrgUsageSchema = z.strictObject({
  servers: z.number().int(),
  members: z.number().int(),
  apiKeys: z.number().int(),
  secrets: z.number().int(),
  pendingInvites: z.number().int(),
  builds: z.number().int(),
  /** tool.call audit events in the last 30 days. */
  toolCalls30d: z.number().int(),
});

export const OrgOverviewSchema = z.strictObject({
  org: OrgSchema,
  role: RoleSchema,
  plan: PlanSchema,
  usage: OrgUsageSchema,
  members: z.array(MemberSchema),
  invites: z.array(InviteSchema),
  apiKeys: z.array(ApiKeySchema),
  encryption: z.strictObject({
    algorithm: z.string(),
    currentKeyVersion: z.number().int(),
    secrets: z.number().int(),
    keyVersions: z.array(z.strictObject({ version: z.number().int(), secrets: z.number().int() })),
    secretsOnOldKeys: z.number().int(),
  }),
});

/** PATCH /v1/me/org/members/:userId. */
export const RoleChangedSchema = z.strictObject({ userId: z.string(), role: RoleSchema });

/** POST /v1/invites/accept. */
export const InviteAcceptedSchema = z.strictObject({
  orgId: z.string(),
  orgName: z.string(),
  role: z.enum(['admin', 'member']),
});

export type Role = z.infer<typeof RoleSchema>;
export type Org = z.infer<typeof OrgSchema>;
export type Member = z.infer<typeof MemberSchema>;
export type Invite = z.infer<typeof InviteSchema>;
export type CreatedInvite = z.infer<typeof CreatedInviteSchema>;
export type OrgUsage = z.infer<typeof OrgUsageSchema>;
export type OrgOverview = z.infer<typeof OrgOverviewSchema>;
export type RoleChanged = z.infer<typeof RoleChangedSchema>;
export type InviteAccepted = z.infer<typeof InviteAcceptedSchema>;
