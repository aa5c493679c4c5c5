// Scope strings a spec may name (DESIGN §4). Shared by tools and the other primitives.
import { z } from 'zod';

export const ScopeSchema = z
  .string()
  .regex(/^mcp:[a-z][a-z0-9_:.-]*$/, 'scopes look like "mcp:read" or "mcp:tools:<tool>"');

/** Resources, resource templates and prompts only read: they default to what read-only tools get. */
export const READ_SCOPE = 'mcp:read';

/** A primitive's own scopes, or mcp:read when it names none. */
export function readScopes(p: { scopes?: string[] | undefined }): string[] {
  return p.scopes && p.scopes.length > 0 ? p.scopes : [READ_SCOPE];
}
