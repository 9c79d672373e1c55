import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Wait before the second try; doubled before each later one. */
  readonly firstDelayMs: number;
  /** How to wait (a timer unless a test records the waits instead). */
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/** 3 tries over about 6 s: enough for a platform hiccup, short enough to stay inside a digest claim's lease. */
export const DEFAULT_RETRY = { attempts: 3, firstDelayMs: 2_000 } as const satisfies RetryPolicy;

/** Runs `work` until it resolves or the tries run out, waiting firstDelayMs, 2×, 4×… between; rejects with the last error. */
export async function withRetry<T>(policy: RetryPolicy, work: (attempt: number) => Promise<T>, onError?: (err: unknown, attempt: number) => void): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      return await work(attempt);
    } catch (err) {
      last = err;
      onError?.(err, attempt);
      if (attempt < policy.attempts) await (policy.sleep ?? sleep)(policy.firstDelayMs * 2 ** (attempt - 1));
    }
  }
  throw last;
}
