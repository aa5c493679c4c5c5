// Starts the local fake model (scripts/fake-llm.mjs) once for the auth tests; tests read its URL
// with inject('fakeLlmUrl') and point LLM_BASE_URL at it.
import type { TestProject } from 'vitest/node';
import { startFakeLlm } from '../../../scripts/fake-llm.mjs';

export default async function setup(project: TestProject) {
  const fake = await startFakeLlm();
  project.provide('fakeLlmUrl', fake.url);
  return () => fake.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    fakeLlmUrl: string;
  }
}
