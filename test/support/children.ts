/**
 * Child processes started by tests, stopped whatever happens.
 *
 * Every child is spawned in its own process group (`detached`), so stopping it signals the
 * whole group and grandchildren (a shell, `npm`, `tsx`, a server's workers) die with it. Every
 * child is tracked until it exits, and the tracked ones are killed:
 * - by `stopAll()`, which this module registers as a root-level `after` hook of the test file
 *   importing it (so it runs even when a `before` threw half-way and never assigned its
 *   handles);
 * - on the test process's `exit` (normal end, `--test-force-exit`, an uncaught error) and on
 *   SIGINT / SIGTERM / SIGHUP;
 * - by scripts/run-tests.mjs after the file ends (or is killed at its time limit): each group id
 *   is appended to the file named by ORDERGATE_TEST_CHILDREN, which the runner reads.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One tracked child process. */
export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Everything it printed so far (stdout + stderr interleaved as received). */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** True until it exits. */
  alive(): boolean;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the group; resolves once the process has exited. */
  kill(): Promise<void>;
}

const live = new Set<Child>();

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig); // every child is a group leader (detached)
  } catch {
    /* the group is gone */
  }
}

/** Process groups not started by spawnChild (a daemon such as a private postmaster). */
const adopted = new Set<number>();

/**
 * Tracks a process group this module did not spawn (e.g. a daemon that made itself a session
 * leader): it is killed with SIGKILL at the same moments as the spawned children, unless
 * `release`d first (after the caller stopped it itself).
 */
export function adopt(pgid: number): void {
  hookProcess();
  adopted.add(pgid);
  register(pgid);
}

/** Stops tracking an adopted group (it was stopped properly). */
export function release(pgid: number): void {
  adopted.delete(pgid);
}

function register(pgid: number): void {
  const registry = process.env.ORDERGATE_TEST_CHILDREN;
  if (!registry) return;
  try {
    appendFileSync(registry, `${pgid}\n`);
  } catch {
    /* the runner's directory is gone: the other hooks still apply */
  }
}

/** Kills every tracked child's process group at once (synchronous; for exit handlers). */
export function killAllNow(): void {
  for (const c of live) signalGroup(c.pid, 'SIGKILL');
  for (const g of adopted) signalGroup(g, 'SIGKILL');
  adopted.clear();
}

/** Stops every tracked child (SIGTERM, then SIGKILL after `graceMs`) and waits for each to exit. */
export async function stopAll(graceMs = 3_000): Promise<void> {
  await Promise.all([...live].map((c) => c.stop(graceMs)));
  for (const g of adopted) signalGroup(g, 'SIGKILL');
  adopted.clear();
}

/** How many tracked children are still running (for tests of this module). */
export function liveCount(): number {
  return live.size;
}

let hooked = false;
function hookProcess(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAllNow();
      process.kill(process.pid, sig); // the default action, now that our handler is gone
    });
  }
}

// Root-level hook of the test file that imports this module (module evaluation happens while
// the file's top level runs). Runs after every test and suite, including failed `before`s.
// Only inside a test file: elsewhere (scripts/soak.ts) calling `after` would start a test
// harness that prints an empty TAP report; the exit and signal hooks apply everywhere.
if (process.env.NODE_TEST_CONTEXT || /\.(test|fixture)\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  after(() => stopAll());
}

/**
 * Spawns a tracked child in its own process group. stdout and stderr are piped and collected
 * (unless `stdio` says otherwise). Emits no unhandled errors: a failed spawn resolves `exited`
 * with code 127 (and `output()` says why).
 */
export function spawnChild(command: string, args: string[], options: SpawnOptions = {}): Child {
  hookProcess();
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options, detached: true });
  let out = '';
  let so = '';
  let se = '';
  proc.stdout?.on('data', (d: Buffer) => ((out += d.toString()), (so += d.toString())));
  proc.stderr?.on('data', (d: Buffer) => ((out += d.toString()), (se += d.toString())));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('error', (e) => {
      out += `\nspawn ${command} failed: ${e.message}\n`;
      done = true;
      live.delete(child);
      resolve({ code: 127, signal: null });
    });
    proc.once('exit', (code, signal) => {
      done = true;
      live.delete(child);
      // the leader is gone: make sure nothing it started outlives it
      if (proc.pid) signalGroup(proc.pid, 'SIGKILL');
      // 'exit' can come before the pipes are drained: resolve once they close ('close'), or after
      // 2 s if something still holds them open, so the output is complete when `exited` resolves
      const grace = setTimeout(() => resolve({ code, signal }), 2_000);
      grace.unref();
      proc.once('close', () => {
        clearTimeout(grace);
        resolve({ code, signal });
      });
    });
  });
  const kill = async () => {
    if (!done && proc.pid) signalGroup(proc.pid, 'SIGKILL');
    await exited;
  };
  const stop = async (graceMs = 5_000) => {
    if (done || !proc.pid) return exited.then(() => undefined);
    signalGroup(proc.pid, 'SIGTERM');
    const timer = setTimeout(() => proc.pid && signalGroup(proc.pid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const child: Child = {
    proc,
    pid: proc.pid ?? -1,
    output: () => out,
    stdout: () => so,
    stderr: () => se,
    alive: () => !done,
    exited,
    stop,
    kill,
  };
  if (proc.pid) {
    live.add(child);
    register(proc.pid);
  }
  return child;
}

/** The answer of a finished command. */
export interface RunResult {
  /** Exit code; 124 when it was killed at its time limit, the signal's number + 128 when signalled. */
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs a command to its end as a tracked child (killed with its group after `timeoutMs`,
 * default 120 s), optionally writing `input` to its stdin.
 */
export async function runChild(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  const { timeoutMs = 120_000, input, ...spawnOptions } = options;
  const t0 = Date.now();
  const child = spawnChild(command, args, { ...spawnOptions, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (input !== undefined) child.proc.stdin?.end(input);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.kill();
  }, timeoutMs);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  const err = timedOut ? `${child.stderr()}\n(killed after ${timeoutMs} ms)` : child.stderr();
  return { code: timedOut ? 124 : (code ?? 128 + (signal ? 9 : 0)), stdout: child.stdout(), stderr: err, ms: Date.now() - t0 };
}

/**
 * The built CLI: `[node, [dist/src/cli/main.js]]`. dist/ is built (incrementally, only when a
 * source is newer) by scripts/run-tests.mjs before any test file runs; `ensureCliBuilt()`
 * does the same for a file run on its own.
 */
export const CLI_MAIN = join(ROOT, 'dist/src/cli/main.js');

/** Builds dist/ if a source is newer than it (a no-op taking a few ms when it is current). */
export async function ensureCliBuilt(): Promise<void> {
  const build = (await import(pathToFileURL(join(ROOT, 'scripts/build.mjs')).href)) as { ensureBuilt(o?: { quiet?: boolean }): boolean };
  build.ensureBuilt({ quiet: true });
}

/** Runs `ordergate <args>` (the built CLI) to its end; see runChild. */
export function runCli(args: string[], options: SpawnOptions & { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return runChild(process.execPath, [CLI_MAIN, ...args], { cwd: ROOT, ...options });
}

/** Starts `ordergate <args>` (the built CLI) as a tracked child; see spawnChild. */
export function spawnCli(args: string[], options: SpawnOptions = {}): Child {
  return spawnChild(process.execPath, [CLI_MAIN, ...args], { cwd: ROOT, ...options });
}
