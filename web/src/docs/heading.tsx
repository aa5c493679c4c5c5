// A section heading inside a docs topic.
import type { ReactNode } from 'react';

export function H2({ children }: { children: ReactNode }) {
  return <h2>{children}</h2>;
}
