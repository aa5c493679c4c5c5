// Runs a code-mode program in a Worker Loader isolate (Cloudflare Dynamic Workers): fresh per run,
// `globalOutbound: null` so it has no network of its own, and its only capability the ToolBridge
// passed to its `run` method over RPC. Limits, each overrun a clean tool error: CPU (`limits.cpuMs`,
// enforced by Cloudflare; the step guard in program-guard.ts everywhere), wall time (a timer here),
// tool calls (the bridge counts them) and output size (measured in the isolate and again here).
import { RpcTarget } from 'cloudflare:workers';
import type { CodeLimits } from '../../../../lib/spec/discovery-tools';
import { guardProgram, GUARD_PREFIX } from './program-guard';

/** Loop iterations and calls a program may make (~0.1–0.5 s of CPU for the tightest loops). */
export const MAX_STEPS = 5_000_000;
const COMPATIBILITY_DATE = '2026-07-01';

export type BridgeAnswer = { ok: true; value: unknown } | { ok: false; error: string };
export type InvokeTool = (name: string, args: unknown) => Promise<BridgeAnswer>;

/** The program's one capability: calling the server's tools through the runner's tool path. */
export class ToolBridge extends RpcTarget {
  #invoke: InvokeTool;
  #max: number;
  #open = true;
  calls = 0;
  overLimit = false;

  constructor(invoke: InvokeTool, maxCalls: number) {
    super();
    this.#invoke = invoke;
    this.#max = maxCalls;
  }

  async call(name: unknown, args: unknown): Promise<BridgeAnswer> {
    if (!this.#open) return { ok: false, error: 'the program has ended' };
    if (this.calls >= this.#max) {
      this.overLimit = true;
      return { ok: false, error: `call limit reached: at most ${this.#max} tool calls a run` };
    }
    this.calls++;
    return this.#invoke(String(name), args);
  }

  close(): void {
    this.#open = false;
  }
}

export type ProgramOutcome =
  | { ok: true; output: string }
  | { ok: false; outcome: 'refused' | 'failed' | 'limit'; error: string };

type ProgramEntrypoint = {
  run(bridge: ToolBridge): Promise<{ output?: string; error?: string; limit?: string }>;
};

/** The loaded Worker's one module: the guarded program inside a class exposing `run`. */
function programModule(guarded: string, limits: CodeLimits): string {
  const p = GUARD_PREFIX;
  return `import { WorkerEntrypoint } from 'cloudflare:workers';
export default class Program extends WorkerEntrypoint {
  async run(${p}_bridge) {
    let ${p}_steps = 0;
    let ${p}_limit;
    const ${p}_tick = () => {
      if (++${p}_steps > ${MAX_STEPS}) {
        ${p}_limit = 'the program ran too long (step limit ${MAX_STEPS}): is there an endless loop?';
        throw new RangeError(${p}_limit);
      }
    };
    const ${p}_logs = [];
    let ${p}_logBytes = 0;
    const ${p}_log = (...a) => {
      const line = a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ');
      ${p}_logBytes += line.length;
      if (${p}_logBytes <= ${limits.maxOutputBytes}) ${p}_logs.push(line);
    };
    const console = { log: ${p}_log, info: ${p}_log, warn: ${p}_log, error: ${p}_log, debug: ${p}_log };
    const tools = new Proxy({}, {
      get: (_, name) => typeof name !== 'string' || name === 'then' ? undefined : async (args) => {
        const r = await ${p}_bridge.call(name, args === undefined ? {} : args);
        if (!r.ok) throw new Error(r.error);
        return r.value;
      },
    });
    let value;
    try {
      value = await ${guarded}();
    } catch (err) {
      if (${p}_limit) return { limit: ${p}_limit };
      return { error: err instanceof Error ? err.name + ': ' + err.message : 'thrown: ' + String(err) };
    }
    if (${p}_limit) return { limit: ${p}_limit };
    let output;
    try {
      output = JSON.stringify({ result: value === undefined ? null : value, logs: ${p}_logs });
    } catch (err) {
      return { error: 'the returned value is not JSON: ' + err.message };
    }
    const bytes = new TextEncoder().encode(output).length;
    if (bytes > ${limits.maxOutputBytes}) {
      return { limit: 'output too large: ' + bytes + ' bytes (limit ${limits.maxOutputBytes})' };
    }
    return { output };
  }
}
`;
}

export async function runProgram(
  loader: WorkerLoader | undefined,
  code: string,
  bridge: ToolBridge,
  limits: CodeLimits,
): Promise<ProgramOutcome> {
  if (!loader) return { ok: false, outcome: 'failed', error: 'code mode is not available here' };
  const guarded = guardProgram(code);
  if (!guarded.ok) return { ok: false, outcome: 'refused', error: guarded.error };
  const worker = loader.load({
    compatibilityDate: COMPATIBILITY_DATE,
    mainModule: 'program.js',
    modules: { 'program.js': programModule(guarded.source, limits) },
    env: {},
    globalOutbound: null,
    limits: { cpuMs: limits.cpuMs },
  });
  const program = worker.getEntrypoint() as unknown as ProgramEntrypoint;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wall = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limits.wallMs);
  });
  try {
    const answer = await Promise.race([program.run(bridge), wall]);
    if (answer === 'timeout') {
      return {
        ok: false,
        outcome: 'limit',
        error: `the program ran longer than ${limits.wallMs / 1000} s`,
      };
    }
    if (bridge.overLimit) {
      return {
        ok: false,
        outcome: 'limit',
        error: `call limit reached: at most ${limits.maxCalls} tool calls a run`,
      };
    }
    if (answer.limit) return { ok: false, outcome: 'limit', error: answer.limit };
    if (answer.error !== undefined) return { ok: false, outcome: 'failed', error: answer.error };
    const output = answer.output ?? '';
    const bytes = new TextEncoder().encode(output).length;
    if (bytes > limits.maxOutputBytes) {
      return { ok: false, outcome: 'limit', error: `output too large: ${bytes} bytes` };
    }
    return { ok: true, output };
  } catch (err) {
    // The isolate itself was stopped (Cloudflare's CPU limit, out of memory): say so, no stack.
    return {
      ok: false,
      outcome: 'limit',
      error: `the program was stopped: ${(err as Error).message}`,
    };
  } finally {
    clearTimeout(timer);
    bridge.close();
  }
}
