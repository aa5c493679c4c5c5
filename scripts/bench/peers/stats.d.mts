export interface Round {
  count: number;
  seconds: number;
  latencies: number[];
  statuses: Record<string, number>;
}
export interface Summary {
  rps: number;
  spread: number;
  p50: number;
  p99: number;
  count: number;
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
