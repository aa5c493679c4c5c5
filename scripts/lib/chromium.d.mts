export declare const SYSTEM_CHROMIUM: string;
export declare class ChromiumNotFound extends Error {
  static code: 'chromium_not_found';
  code: 'chromium_not_found';
  constructor(reason: string);
}
export type RunCommand = (
  argv: string[],
  options?: { quiet?: boolean },
) => { ok: boolean; status: number | null };
type Env = Record<string, string | undefined>;
export declare function onPath(name: string, pathList?: string): string | undefined;
export declare function findChromium(options?: {
  env?: Env;
  systemPath?: string;
}): string | undefined;
export declare function aptPrefix(options?: {
  env?: Env;
  uid?: number;
  run?: RunCommand;
}): string[] | undefined;
export declare const runCommand: RunCommand;
export declare function ensureChromium(options?: {
  env?: Env;
  systemPath?: string;
  uid?: number;
  run?: RunCommand;
  log?: (line: string) => void;
}): string;
