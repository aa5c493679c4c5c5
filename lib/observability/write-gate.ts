// Telemetry writes (connection health, the connection recorder) stay off the hot path and few: each key (server, client, what)
// writes at most once per interval per isolate, and what happened in between is counted and
// carried by the next write. A bounded map: past MAX_KEYS it starts over (a few extra writes).
const MAX_KEYS = 10_000;
const DEFAULT_INTERVAL_SECONDS = 60;

type Slot = { lastWriteAt: number; pending: number };
const slots = new Map<string, Slot>();

/** The interval from a Worker variable (seconds; default 60). */
export function writeIntervalMs(seconds: string | undefined): number {
  const n = Number(seconds);
  const ok = seconds !== undefined && seconds !== '' && Number.isFinite(n) && n >= 0;
  return (ok ? n : DEFAULT_INTERVAL_SECONDS) * 1000;
}

/**
 * Counts one occurrence of `key`; returns how many to write now (this one plus those held back),
 * or 0 while the key wrote less than `intervalMs` ago.
 */
export function gate(key: string, intervalMs: number, now = Date.now()): number {
  const slot = slots.get(key);
  if (slot && now - slot.lastWriteAt < intervalMs) {
    slot.pending++;
    return 0;
  }
  if (slots.size >= MAX_KEYS) slots.clear();
  const count = (slot?.pending ?? 0) + 1;
  slots.set(key, { lastWriteAt: now, pending: 0 });
  return count;
}

/** Whether `key` was never seen by this isolate (and marks it seen). */
export function firstTime(key: string): boolean {
  if (slots.has(key)) return false;
  if (slots.size >= MAX_KEYS) slots.clear();
  slots.set(key, { lastWriteAt: Date.now(), pending: 0 });
  return true;
}

/**
 * Steps anyone can cause without a token (discovery, /authorize, /register) also share one budget
 * per isolate: at most MAX_ANONYMOUS_WRITES a minute, so junk requests cannot turn into unbounded
 * D1 writes. Past it, steps are dropped (the recorder is best effort).
 */
export const MAX_ANONYMOUS_WRITES = 600;
let budgetWindow = { start: 0, used: 0 };

export function withinBudget(now = Date.now()): boolean {
  if (now - budgetWindow.start >= 60_000) budgetWindow = { start: now, used: 0 };
  return ++budgetWindow.used <= MAX_ANONYMOUS_WRITES;
}
