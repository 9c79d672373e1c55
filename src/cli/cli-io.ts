import type { Readable, Writable } from 'node:stream';

// What every command is given and returns: its streams and environment, and the exit status it ends with.
// Commands take it from here, not from run-cli.ts, so that the dispatcher imports the commands and none of
// them import it back.

export interface CliIo {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
