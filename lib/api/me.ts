// GET /v1/me and the answers of POST /v1/auth/signup and /v1/auth/login (DESIGN §3).
import { z } from 'zod';
import { RoleSchema } from './org';
import { EpochMsSchema } from './time';

export const UserSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  createdAt: EpochMsSchema,
});

export const MembershipSchema = z.strictObject({
  orgId: z.string(),
  name: z.string(),
  personal: z.boolean(),
  role: RoleSchema,
});

const MeBase = {
  user: UserSchema,
  orgId: z.string(),
  role: RoleSchema,
  orgs: z.array(MembershipSchema),
};

/** Who is calling, and with which credential: each kind adds what identifies it. */
export const MeSchema = z.discriminatedUnion('authenticatedBy', [
  z.strictObject({
    ...MeBase,
    authenticatedBy: z.literal('session'),
    csrfToken: z.string(),
    sessionExpiresAt: EpochMsSchema,
  }),
  z.strictObject({ ...MeBase, authenticatedBy: z.literal('api_key'), apiKeyId: z.string() }),
  z.strictObject({ ...MeBase, authenticatedBy: z.literal('oauth'), clientId: z.string() }),
]);

/** 201 of signup, 200 of login; the session cookie comes with it. */
export const SignedInSchema = z.strictObject({
  user: UserSchema,
  orgId: z.string(),
  csrfToken: z.string(),
  expiresAt: EpochMsSchema,
});

export type User = z.infer<typeof UserSchema>;
export type Membership = z.infer<typeof MembershipSchema>;
export type Me = z.infer<typeof MeSchema>;
export type SignedIn = z.infer<typeof SignedInSchema>;
