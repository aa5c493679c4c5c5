// D1 reports a failed constraint only as text ("D1_ERROR: UNIQUE constraint failed: users.email:
// SQLITE_CONSTRAINT"): there is no error code to branch on. This is the one place that reads that
// text; everything else branches on the typed result.
export type ConstraintViolation =
  { code: 'unique_violation'; columns: string[] } | { code: 'foreign_key_violation' };

/** The SQLite constraint a D1 error reports, or undefined for any other error. */
export function constraintViolation(err: unknown): ConstraintViolation | undefined {
  const message = err instanceof Error ? err.message : '';
  const unique = /(?:UNIQUE|PRIMARY KEY) constraint failed(?:: ([\w.]+(?:, [\w.]+)*))?/.exec(
    message,
  );
  if (unique) return { code: 'unique_violation', columns: unique[1]?.split(', ') ?? [] };
  if (/FOREIGN KEY constraint failed/.test(message)) return { code: 'foreign_key_violation' };
  return undefined;
}

/** Whether `err` is a unique-index violation, on `column` (`table.column`) when given. */
export function isUniqueViolation(err: unknown, column?: string): boolean {
  const found = constraintViolation(err);
  return (
    found?.code === 'unique_violation' && (column === undefined || found.columns.includes(column))
  );
}
