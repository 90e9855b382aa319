/**
 * The kill-switch sweeper (issue 13): on every instance, every `intervalMs`
 * (ORDERGATE_SWITCH_SWEEP_MS, default 200), claims the switches whose deadline passed and fires
 * each exactly once (SwitchService.sweep: claim in the store, one cancel-all unit, record),
 * reloads the UIDs whose placements a panic blocked, and renews the cancel-on-disconnect lease
 * of the UIDs with armed WebSocket connections here. A deadline therefore fires at most one
 * interval (plus the cancel-all) late on a running server, and a restarted server fires what
 * came due while it was down at its first sweep.
 */
import type { SwitchService } from '../switches/service.js';

/** Least time between two reported sweep failures, ms. */
const ERROR_REPORT_MS = 10_000;

/** A running sweeper. */
export interface SwitchSweeper {
  /** Sweeps now; resolves with how many switches fired (0 when a sweep is already running). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts sweeping `switches` every `intervalMs` (one sweep at a time: a slow sweep delays the
 * next, never overlaps it).
 * @param onError receives failures (e.g. PostgreSQL unreachable), at most one per 10 s (a store
 *   that is down would otherwise be reported five times a second); the next sweep tries again.
 */
export function startSwitchSweeper(switches: SwitchService, intervalMs: number, onError: (e: unknown) => void = () => undefined): SwitchSweeper {
  let running: Promise<number> | undefined;
  let stopped = false;
  const runOnce = async (): Promise<number> => {
    if (running || stopped) return 0;
    running = (async () => {
      await switches.refreshBlocked();
      await switches.renewDisconnects();
      return switches.sweep();
    })();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };
  let lastReport = 0;
  const report = (e: unknown) => {
    const now = Date.now();
    if (now - lastReport < ERROR_REPORT_MS) return;
    lastReport = now;
    onError(e);
  };
  const timer = setInterval(() => runOnce().catch(report), intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
