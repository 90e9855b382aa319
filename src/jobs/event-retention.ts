/**
 * Event retention: keeps the outbox bounded by pruning, in the background, all but the newest
 * `keep` events (ORDERGATE_EVENT_RETENTION). Pruning deletes small batches of whole units and
 * never takes the lock that orders commits, so it never holds up a cancel; a subscriber
 * catching up from a sequence older than what is retained resumes at the oldest retained event.
 */
import type { OrderStore } from '../store/types.js';

/** How often the job prunes, ms. */
export const EVENT_PRUNE_INTERVAL_MS = 10_000;

/** A running retention job. */
export interface EventRetentionJob {
  /** Prunes now; resolves with the number of events deleted (0 when another run is going on). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts pruning `store`'s outbox to `keep` events every `intervalMs`.
 * @param onError receives failures (e.g. PostgreSQL unreachable); the next round tries again.
 */
export function startEventRetention(
  store: Pick<OrderStore, 'pruneEvents'>,
  keep: number,
  onError: (e: unknown) => void = () => undefined,
  intervalMs = EVENT_PRUNE_INTERVAL_MS,
): EventRetentionJob {
  let running: Promise<number> | undefined;
  const runOnce = async (): Promise<number> => {
    if (running) return 0;
    running = store.pruneEvents(keep);
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };
  const timer = setInterval(() => runOnce().catch(onError), intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
