// GET /v1/clients: the org's machine clients (registered with one of its API keys or sessions).
import { z } from 'zod';
import { EpochMsSchema, NullableEpochMsSchema } from './time';

export const MachineClientSchema = z.strictObject({
  id: z.string(),
  name: z.string().nullable(),
  grantTypes: z.array(z.string()),
  tokenEndpointAuthMethod: z.string(),
  owner: z
    .strictObject({ id: z.string(), email: z.string().nullable(), name: z.string().nullable() })
    .nullable(),
  apiKey: z
    .strictObject({ id: z.string(), name: z.string().nullable(), prefix: z.string().nullable() })
    .nullable(),
  createdAt: EpochMsSchema,
  /** When it last authenticated at the token endpoint. */
  lastUsedAt: NullableEpochMsSchema,
});

export const MachineClientListSchema = z.strictObject({ clients: z.array(MachineClientSchema) });

export type MachineClient = z.infer<typeof MachineClientSchema>;
export type MachineClientList = z.infer<typeof MachineClientListSchema>;
