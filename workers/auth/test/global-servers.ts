// Real local HTTP servers for the auth tests, started once in Node: the fake model
// (scripts/fake-llm.mjs, for the prompt source) and a downstream API (the runner tests' server, for
// build tool tests). Tests read their URLs with inject('fakeLlmUrl') / inject('downstreamOrigin').
import type { TestProject } from 'vitest/node';
import { startFakeLlm } from '../../../scripts/fake-llm.mjs';
import { startDownstream } from '../../runner/test/support/downstream-server';

export default async function setup(project: TestProject) {
  const fake = await startFakeLlm();
  const downstream = await startDownstream();
  project.provide('fakeLlmUrl', fake.url);
  project.provide('downstreamOrigin', downstream.origin);
  return async () => {
    downstream.close();
    await fake.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    fakeLlmUrl: string;
    downstreamOrigin: string;
  }
}
