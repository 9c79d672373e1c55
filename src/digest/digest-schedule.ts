import { Cron } from 'croner';
import { isoDate } from '../core/stats/stats-format.js';

/**
 * DIGEST_CRON read in DIGEST_TZ. croner computes the occurrences, across DST changes; the service only asks
 * which one was last (to catch up after downtime) and registers a callback for the next ones.
 */
export class DigestSchedule {
  readonly #cron: Cron;
  readonly timeZone: string;

  constructor(expression: string, timeZone: string) {
    this.timeZone = timeZone;
    this.#cron = new Cron(expression, { timezone: timeZone, paused: true });
  }

  /** The latest scheduled time at or before `now` (ms), or undefined when the pattern never fired yet. */
  latest(now: number): number | undefined {
    // previousRuns counts a run earlier in the same second as the reference; add a second's grace so that a
    // timer firing a few milliseconds early still finds the run it fired for.
    return this.#cron.previousRuns(1, new Date(now + 999))[0]?.getTime();
  }

  next(now: number): number | undefined {
    return this.#cron.nextRun(new Date(now))?.getTime();
  }

  /** The claim period of the digest scheduled at `at`: its calendar date in the zone (one digest a day). */
  period(at: number): string {
    return isoDate(at, this.timeZone);
  }

  /** Calls `run` at each scheduled time until the returned stop function is called. */
  every(run: () => void): () => void {
    const job = new Cron(this.#cron.getPattern() ?? '', { timezone: this.timeZone, protect: true }, run);
    return () => job.stop();
  }
}
