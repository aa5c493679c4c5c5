// GET /v1/servers/:id/secrets and PUT …/secrets/:name. Values are never part of any answer.
import { z } from 'zod';
import { EpochMsSchema, NullableEpochMsSchema } from './time';

export const SecretStatusSchema = z.strictObject({
  name: z.string(),
  description: z.string().nullable(),
  set: z.boolean(),
  updatedAt: NullableEpochMsSchema,
});

export const SecretListSchema = z.strictObject({ secrets: z.array(SecretStatusSchema) });

export const SecretSetSchema = z.strictObject({
  name: z.string(),
  set: z.literal(true),
  updatedAt: EpochMsSchema,
});

export type SecretStatus = z.infer<typeof SecretStatusSchema>;
export type SecretList = z.infer<typeof SecretListSchema>;
export type SecretSet = z.infer<typeof SecretSetSchema>;
