import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Engine, EngineOptions } from '../core/engine.js';
import { SiptriageError } from '../errors/errors.js';
import { chatLadder } from '../core/ladder/chat-ladder.js';
import type { ShareBundle } from '../core/share/share-bundle.js';
import { callEvent, type CallEvent } from '../core/triage/call-events.js';
import { svgToPng } from '../render/svg-to-png.js';
import type { Logger } from '../ports/logger.js';
import { TRIAGE_OVER_BUDGET, type ShareKeep, type TriageInput, type TriageOutcome, type TriageRunner } from '../ports/triage-runner.js';
import { CaptureJobs } from './capture-jobs.js';
import { shareOutcome } from './share-outcome.js';

export class TriageWorkerError extends SiptriageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRIAGE_WORKER_FAILED', message, options);
  }
}

/**
 * Store events one answer carries across the thread boundary. A capture of 100,000 calls would otherwise
 * send 100,000 objects for the main thread to deserialise while Slack waits; the rest are counted.
 */
export const MAX_OUTCOME_EVENTS = 10_000;

export class TriageOverBudgetError extends SiptriageError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(TRIAGE_OVER_BUDGET, message, options);
  }
}

/** A triage answer of bounded size: the summary, the few calls a chat answer shows, events up to a cap. */
export function triageOutcome(engine: Engine, input: TriageInput, seenAt: number): TriageOutcome {
  const events: CallEvent[] = [];
  let uncounted = 0;
  const onCall: Parameters<Engine['triageBytes']>[2] = {
    onCall: (r) => {
      const e = callEvent(r, seenAt);
      if (e === undefined) return;
      if (events.length < MAX_OUTCOME_EVENTS) events.push(e);
      else uncounted++;
    },
  };
  const answer = input.kind === 'text' ? engine.triage(input.text) : engine.triageBytes(input.bytes, input.filename, onCall);
  if (input.kind === 'text') for (const c of answer.report.calls) onCall?.onCall?.(c);
  const ladder = chatLadder(answer.report, engine.options.redact);
  return {
    summary: answer.summary,
    calls: answer.calls,
    events,
    messages: answer.totals?.messages ?? answer.report.entries.length,
    ...(uncounted > 0 ? { uncounted } : {}),
    ...(ladder === undefined ? {} : { ladder }),
  };
}

export interface TriagePoolOptions {
  /** Old-generation heap of each triage thread, in MiB (resourceLimits). */
  readonly workerMemoryMb?: number;
  /** Capture jobs admitted at once. */
  readonly captureJobs?: number;
}

/** Work a triage thread does: a triage, a share bundle built from a held trace, or a ladder drawn as PNG. */
export type WorkerTask =
  | { readonly kind: 'triage'; readonly seenAt: number }
  | { readonly kind: 'share'; readonly source: string | undefined; readonly keep?: ShareKeep }
  | { readonly kind: 'png'; readonly svg: string; readonly scale: number };

type TaskResult = TriageOutcome | ShareBundle | Uint8Array;

const NO_INPUT: TriageInput = { kind: 'text', text: '' };

/** Runs one task on this thread; the worker and the in-thread runner share it. */
export function runTask(engine: Engine, input: TriageInput, task: WorkerTask): TaskResult {
  if (task.kind === 'triage') return triageOutcome(engine, input, task.seenAt);
  if (task.kind === 'share') return shareOutcome(engine, input, task.source, task.keep);
  return svgToPng(task.svg, { scale: task.scale });
}

/** Worker threads for `auto`: one CPU stays with the event loop that acknowledges chat requests. */
export function autoWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Runs triage off the event loop. A 1 MiB trace takes a second or more of CPU; on the thread that answers
 * Slack that would hold every other acknowledgement past its 3-second deadline. With `workers: 0` the engine
 * runs in-thread (small deployments, tests).
 */
export function createTriageRunner(engine: Engine, workers: number, log: Logger, options: TriagePoolOptions = {}): TriageRunner {
  const jobs = new CaptureJobs(options.captureJobs ?? 2);
  if (workers <= 0) {
    return {
      threads: 0,
      admitCapture: () => jobs.admit(),
      run: async (input, seenAt = Date.now()) => {
        // Let the caller's acknowledgement go out before the CPU-bound part starts.
        await new Promise((resolve) => setImmediate(resolve));
        return triageOutcome(engine, input, seenAt);
      },
      share: async (input, source, keep) => {
        await new Promise((resolve) => setImmediate(resolve));
        return shareOutcome(engine, input, source, keep);
      },
      rasterize: async (svg, scale) => {
        await new Promise((resolve) => setImmediate(resolve));
        return svgToPng(svg, { scale });
      },
      close: async () => {},
    };
  }
  return new TriagePool(engine, workers, log.child({ module: 'triage-pool' }), jobs, options.workerMemoryMb);
}

interface Job {
  readonly id: number;
  readonly input: TriageInput;
  readonly task: WorkerTask;
  resolve(result: TaskResult): void;
  reject(err: Error): void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  job: Job | undefined;
}

type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly id: number; readonly result: TaskResult }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

class TriagePool implements TriageRunner {
  readonly threads: number;
  readonly #engine: Engine;
  readonly #log: Logger;
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];
  /** Pictures wait behind every triage and bundle: a summary someone waits for goes before a ladder. */
  readonly #pictures: Job[] = [];
  readonly #jobs: CaptureJobs;
  readonly #memoryMb: number | undefined;
  #nextId = 1;
  #closed = false;
  #failures = 0;

  constructor(engine: Engine, size: number, log: Logger, jobs: CaptureJobs, memoryMb: number | undefined) {
    this.threads = size;
    this.#engine = engine;
    this.#log = log;
    this.#jobs = jobs;
    this.#memoryMb = memoryMb;
    for (let i = 0; i < size; i++) this.#spawn();
  }

  admitCapture(): (() => void) | undefined {
    return this.#jobs.admit();
  }

  run(input: TriageInput, seenAt = Date.now()): Promise<TriageOutcome> {
    return this.#submit(input, { kind: 'triage', seenAt }) as Promise<TriageOutcome>;
  }

  share(input: TriageInput, source: string | undefined, keep?: ShareKeep): Promise<ShareBundle> {
    return this.#submit(input, { kind: 'share', source, ...(keep === undefined ? {} : { keep }) }) as Promise<ShareBundle>;
  }

  rasterize(svg: string, scale: number): Promise<Uint8Array> {
    return this.#submit(NO_INPUT, { kind: 'png', svg, scale }) as Promise<Uint8Array>;
  }

  #submit(input: TriageInput, task: WorkerTask): Promise<TaskResult> {
    if (this.#closed) return Promise.reject(new TriageWorkerError('the triage pool is closed'));
    return new Promise((resolve, reject) => {
      (task.kind === 'png' ? this.#pictures : this.#queue).push({ id: this.#nextId++, input, task, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of [...this.#queue.splice(0), ...this.#pictures.splice(0)]) job.reject(new TriageWorkerError('the triage pool is closed'));
    await Promise.all([...this.#slots].map((s) => s.worker.terminate()));
    this.#slots.clear();
  }

  #spawn(): void {
    // The young generation is capped too: resourceLimits otherwise leaves it to V8's defaults, outside the budget.
    const resourceLimits = this.#memoryMb === undefined ? undefined : { maxOldGenerationSizeMb: this.#memoryMb, maxYoungGenerationSizeMb: 32 };
    const worker = new Worker(workerEntry(), { workerData: { options: this.#engine.options satisfies EngineOptions }, ...(resourceLimits === undefined ? {} : { resourceLimits }) });
    const slot: Slot = { worker, ready: false, job: undefined };
    this.#slots.add(slot);
    worker.on('message', (reply: WorkerReply) => this.#onReply(slot, reply));
    worker.on('error', (err) => this.#onExit(slot, err));
    worker.on('exit', (code) => this.#onExit(slot, new Error(`triage worker exited with code ${code}`)));
  }

  #onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === 'ready') {
      slot.ready = true;
      this.#failures = 0;
    } else {
      const job = slot.job;
      slot.job = undefined;
      if (job !== undefined && job.id === reply.id) {
        if (reply.type === 'done') job.resolve(reply.result);
        else job.reject(new TriageWorkerError(reply.message));
      }
    }
    this.#dispatch();
  }

  #onExit(slot: Slot, err: Error): void {
    if (!this.#slots.delete(slot)) return;
    // Node ends a thread past its resourceLimits with ERR_WORKER_OUT_OF_MEMORY: that job was too big, and
    // the thread is replaced like any other that stopped.
    const oom = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
    slot.job?.reject(
      oom
        ? new TriageOverBudgetError(`the triage needed more than the ${this.#memoryMb ?? '?'} MiB a triage thread may use`, { cause: err })
        : new TriageWorkerError('the triage worker stopped while triaging', { cause: err }),
    );
    if (this.#closed) return;
    // A thread that ran out of memory before it was ready (a budget too small to load the knowledge) is a
    // failure to start like any other: not counted, it was respawned for ever and queued jobs never ran.
    if (!oom || !slot.ready) this.#failures += 1;
    this.#log.error({ err }, oom ? 'triage worker went over its memory budget and was replaced' : 'triage worker stopped');
    // A worker that cannot even start (a broken install) would respawn for ever: after three failures in a
    // row the remaining jobs run in-thread, slower but answered.
    if (this.#failures <= 3) this.#spawn();
    this.#dispatch();
  }

  #dispatch(): void {
    if (this.#slots.size === 0) {
      for (const job of [...this.#queue.splice(0), ...this.#pictures.splice(0)]) {
        try {
          job.resolve(runTask(this.#engine, job.input, job.task));
        } catch (err) {
          job.reject(new TriageWorkerError('triage failed', { cause: err }));
        }
      }
      return;
    }
    for (const slot of this.#slots) {
      if (!slot.ready || slot.job !== undefined) continue;
      const job = this.#queue.shift() ?? this.#pictures.shift();
      if (job === undefined) return;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, input: job.input, task: job.task });
    }
  }
}

/**
 * The compiled worker beside this file; from TypeScript sources (tests and the bench run under vitest or tsx)
 * there is no .js, so a one-line module loads the .ts through tsx's API inside the worker.
 */
function workerEntry(): URL {
  const js = new URL('./triage-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return js;
  const ts = new URL('./triage-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `const { tsImport } = await import(${JSON.stringify(tsx)}); await tsImport(${JSON.stringify(ts)}, ${JSON.stringify(ts)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}
