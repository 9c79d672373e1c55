import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, type EngineOptions } from '../core/engine.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import { runTask, type WorkerTask } from './triage-pool.js';
import { type TriageInput } from '../ports/triage-runner.js';

// One triage worker (see triage-pool.ts): its own knowledge and engine, with the options of the main one.
const port = parentPort;
if (port !== null) {
  const { options } = workerData as { options: EngineOptions };
  const engine = createEngine(loadKnowledge(), options);
  port.on('message', (job: { id: number; input: TriageInput; task: WorkerTask }) => {
    try {
      port.postMessage({ type: 'done', id: job.id, result: runTask(engine, job.input, job.task) });
    } catch (err) {
      port.postMessage({ type: 'failed', id: job.id, message: err instanceof Error ? err.message : String(err) });
    }
  });
  port.postMessage({ type: 'ready' });
}
