// What a build reports: its log lines (streamed over WebSocket and kept in D1), its failure and
// the options the owner chose. Shared by the build Durable Object, the API and the dashboard.
export type BuildStepName = 'validate' | 'secrets' | 'compile' | 'test' | 'publish' | 'smoke';

export type BuildLogLine = {
  seq: number;
  /** Epoch ms. */
  at: number;
  step: BuildStepName;
  level: 'info' | 'ok' | 'warn' | 'error';
  message: string;
  tool?: string;
  durationMs?: number;
};

/** Why a build stopped, and what the owner should change. */
export type BuildFailure = { step: BuildStepName; message: string; fix: string };

export type BuildOptions = {
  /** Per tool: the arguments for its test call (default: derived from the input schema). */
  sampleArgs?: Record<string, Record<string, unknown>>;
  /** Also call write/destructive tools for real: true for all, or the tool names. */
  testWrites?: boolean | string[];
};

export type BuildStatus = 'queued' | 'running' | 'succeeded' | 'failed';
