import type { Plugin } from 'esbuild';

export declare const root: string;
export declare const WORKERS: Record<'auth' | 'runner', { config: string; entry: string }>;
export declare function bundleWorker(
  name: 'auth' | 'runner',
  outdir?: string,
  plugins?: Plugin[],
): Promise<string>;
export declare function workerOptions(
  name: 'auth' | 'runner',
  scriptPath: string,
  bindings?: Record<string, string>,
): { name: string; scriptPath: string; modules: true; modulesRoot: string };
