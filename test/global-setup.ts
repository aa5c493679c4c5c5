// Once per end-to-end run: the browser the dashboard tests drive (scripts/lib/chromium.mjs finds
// it or installs it, or stops the run with a message naming CHROMIUM_PATH).
import type { TestProject } from 'vitest/node';
import { ensureChromium } from '../scripts/lib/chromium.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}

export default function setup(project: TestProject): void {
  project.provide('chromiumPath', ensureChromium());
}
