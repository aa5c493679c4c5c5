// POST/GET /v1/api-keys (DESIGN §3 "API keys"). The key itself is in the 201 answer only.
import { z } from 'zod';
import { EpochMsSchema, NullableEpochMsSchema } from './time';

export const ApiKeySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** The first 12 characters (`moat_sk_…`), enough to recognise a key in a list. */
  prefix: z.string(),
  userId: z.string(),
  createdAt: EpochMsSchema,
  lastUsedAt: NullableEpochMsSchema,
});

export const ApiKeyListSchema = z.strictObject({ apiKeys: z.array(ApiKeySchema) });

export const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string().startsWith('moat_sk_') });

export type ApiKey = z.infer<typeof ApiKeySchema>;
export type ApiKeyList = z.infer<typeof ApiKeyListSchema>;
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;
