/**
 * Background WAL checkpointing for the embedded store.
 *
 * In WAL mode every commit appends pages to `<db>-wal`; a checkpoint copies them back into the
 * database file and fsyncs it. SQLite's automatic checkpoint runs inside the committing call,
 * i.e. on the event loop, stalling every request for the copy and the extra fsync. Instead a
 * worker thread with its own connection runs `PRAGMA wal_checkpoint(PASSIVE)` every few ms:
 * PASSIVE never blocks the writer, and the writer restarts the WAL from the beginning once a
 * checkpoint has caught up. Durability is unchanged: a commit is durable once its WAL frames
 * are synced (synchronous=FULL, done by the writer before `execute` resolves); checkpoints only
 * move already-durable pages.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Plain CommonJS run by the worker (no TypeScript loader needed in the thread). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = FULL');
let stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
let timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

/** Last figures reported by the checkpointer (WAL frames in the log, frames checkpointed). */
export interface CheckpointerStatus {
  running: boolean;
  rounds: number;
  lastLogFrames: number;
  lastError?: string;
}

/** A running background checkpointer. */
export interface Checkpointer {
  readonly status: CheckpointerStatus;
  /** Stops the thread (waits for a checkpoint in progress to finish). */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `path` (an existing WAL-mode SQLite file) every `intervalMs` in a
 * worker thread. `onExit` is called if the thread dies unexpectedly, so the caller can fall
 * back to SQLite's automatic checkpoints.
 */
export function startCheckpointer(path: string, intervalMs: number, onExit: () => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs }, execArgv: [] });
  const status: CheckpointerStatus = { running: true, rounds: 0, lastLogFrames: 0 };
  let stopping = false;
  worker.on('message', (m: { log?: number; error?: string }) => {
    status.rounds++;
    if (m.error) status.lastError = m.error;
    else status.lastLogFrames = m.log ?? 0;
  });
  worker.on('error', (e) => {
    status.lastError = e.message;
  });
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      status.running = false;
      if (!stopping) onExit();
      resolve();
    }),
  );
  // after the listeners: the thread must never keep the process alive
  worker.unref();
  return {
    status,
    async stop() {
      if (!status.running) return;
      stopping = true;
      worker.postMessage('stop');
      const t = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
