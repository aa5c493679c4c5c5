// Times on the /v1 wire: integer milliseconds since the Unix epoch (UTC), the unit every table
// stores and every route already sent. Never seconds, never ISO strings (docs/api.md "Times").
import { z } from 'zod';

export const EpochMsSchema = z.number().int().nonnegative();
export const NullableEpochMsSchema = EpochMsSchema.nullable();
