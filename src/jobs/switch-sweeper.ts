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

/** A running sweeper. */
export interface SwitchSweeper {
  /** Sweeps now; resolves with how many switches fired (0 when a sweep is already running). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts sweeping `switches` every `intervalMs` (one sweep at a time: a slow sweep delays the
 * next, never overlaps it).
 * @param onError receives failures (e.g. PostgreSQL unreachable); the next sweep tries again.
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
  const timer = setInterval(() => runOnce().catch(onError), intervalMs);
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
