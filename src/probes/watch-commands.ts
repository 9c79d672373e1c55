import type { Card } from '../core/card/card.js';
import type { ChannelRef } from '../core/chat-port.js';
import { checkTargetHost, type ProbePolicy } from '../core/probe/probe-policy.js';
import { unwatchedCard, watchedCard, watchListCard, watchProblemCard, type WatchedTarget } from '../core/probe/watch-card.js';
import type { WatchCommand, WatchLimits } from '../core/probe/watch-request.js';
import { refId } from '../alerts/alert-settings.js';
import { CONFIG_WATCHER, type ProbeStore, type TargetState } from '../ports/probe-store.js';

export interface WatchCommandsDeps {
  readonly store: ProbeStore;
  readonly policy: ProbePolicy;
  readonly limits: WatchLimits;
  readonly downAfter: number;
  /** Told when a channel's watches change, so the scheduler picks them up at once. */
  readonly onChange?: (target: string) => void;
  readonly now?: () => number;
}

export interface WatchAnswer {
  readonly cards: readonly Card[];
  readonly isError: boolean;
  readonly changed?: string;
}

/**
 * `/sip probe watch|unwatch|list` in a channel. A watch is refused by the same allow-list as a one-off
 * probe, before anything is stored: chat text must never aim a probe, once or forever, where the
 * configuration does not allow it. (The scheduler checks again each time, address by address.)
 */
export async function answerWatch(deps: WatchCommandsDeps, cmd: WatchCommand, where: ChannelRef | undefined): Promise<WatchAnswer> {
  if (where === undefined) {
    return { cards: [watchProblemCard({ code: 'watch-needs-channel', message: 'Watching is done from a chat channel, which hears when a target goes down; here, set PROBES in the configuration.' })], isError: true };
  }
  const watcher = refId(where);
  switch (cmd.action) {
    case 'list': {
      const [all, states] = await Promise.all([deps.store.watches(), deps.store.targetStates()]);
      const byTarget = new Map<string, TargetState>(states.map((s) => [s.target, s]));
      const shown = (w: { target: string; intervalMs: number }): WatchedTarget => {
        const state = byTarget.get(w.target);
        return { target: w.target, intervalMs: w.intervalMs, ...(state === undefined ? {} : { state }) };
      };
      return { cards: [watchListCard(all.filter((w) => w.watcher === watcher).map(shown), all.filter((w) => w.watcher === CONFIG_WATCHER).map(shown))], isError: false };
    }
    case 'unwatch': {
      const found = await deps.store.unwatch(watcher, cmd.target);
      if (found) deps.onChange?.(cmd.target);
      return { cards: [unwatchedCard(cmd.target, found)], isError: !found, ...(found ? { changed: `stopped watching ${cmd.target} in this channel` } : {}) };
    }
    case 'watch': {
      const allowed = checkTargetHost(cmd.spec.request.target.host, deps.policy);
      if (!allowed.ok) return { cards: [watchProblemCard(allowed.problem)], isError: true };
      const added = await deps.store.watch({ watcher, target: cmd.spec.target, intervalMs: cmd.spec.intervalMs, createdAt: (deps.now ?? Date.now)() });
      deps.onChange?.(cmd.spec.target);
      return { cards: [watchedCard(cmd.spec, added, deps.downAfter)], isError: false, changed: `started watching ${cmd.spec.target} in this channel` };
    }
  }
}
