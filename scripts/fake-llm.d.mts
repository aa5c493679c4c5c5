export interface FakeLlm {
  url: string;
  received: { provider: 'anthropic' | 'openai'; model: string; messages: unknown[] }[];
  close(): Promise<void>;
}
export function startFakeLlm(options?: { port?: number; host?: string }): Promise<FakeLlm>;
export function answerFor(messages: { role: string; content: unknown }[]): string;
