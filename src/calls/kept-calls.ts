import { keptTraceText } from '../core/calls/kept-trace.js';
import type { CallStore } from '../ports/call-store.js';
import type { CallsPort } from '../ports/surface.js';

// Legs of one call begin within seconds; an hour either side finds them without reading the whole day.
const LEG_WINDOW_MS = 3_600_000;

/** The kept calls as surfaces use them: searched, and opened with their other legs as a trace. */
export function keptCalls(store: CallStore, keepDays: number): CallsPort {
  return {
    keepDays,
    find: (query) => store.findCalls(query),
    async open(callId) {
      const calls = await store.openCalls(callId);
      const first = calls[0];
      if (first === undefined) return undefined;
      const legs = (await store.legsOf(first.legKeys, first.time, LEG_WINDOW_MS)).filter((l) => !calls.some((c) => c.id === l.id));
      const all = [...calls, ...legs];
      return { text: keptTraceText(all.flatMap((c) => c.trace)), callIds: [...new Set(all.map((c) => c.callId))] };
    },
  };
}
