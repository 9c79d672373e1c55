/**
 * Expected failures travel as values: a stable machine code for programs and a sentence for people.
 */
export interface Problem {
  readonly code: string;
  readonly message: string;
  /** 1-based line in the input the problem was found at, when it has one. */
  readonly line?: number;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: string, message: string): Result<T> => ({ ok: false, problem: { code, message } });
