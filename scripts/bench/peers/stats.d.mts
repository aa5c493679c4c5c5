export interface Round {
  count: number;
  seconds: number;
  latencies: number[];
  statuses: Record<string, number>;
  cpuMs?: number;
}
export interface Summary {
  rps: number;
  spread: number;
  p50: number;
  p99: number;
  count: number;
  cpu: number;
  statuses: Record<string, number>;
  fivexx: number;
}
export function percentile(sorted: number[], p: number): number;
export function median(values: number[]): number;
export function spread(values: number[]): number;
export function summarize(rounds: Round[]): Summary;
export function ratios(
  bySystem: Record<string, { rps: number } | undefined>,
  subject: string,
  peers: string[],
): Record<string, string>;
export function procStatTicks(text: string): number;
export function cpuPerRequest(rounds: Round[]): number;
export function cpuRatios(
  bySystem: Record<string, { cpu: number } | undefined>,
  subject: string,
  peers: string[],
): Record<string, string>;
