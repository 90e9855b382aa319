#!/usr/bin/env node
// Runs every test/**/*.test.ts, each FILE in its own `node --test` process with a hard time
// limit, at most two files at a time. A file that fails or runs past its limit is reported by
// name; the run never hangs. Each file's output (node's spec reporter) is printed when it ends.
//
// Usage: node scripts/run-tests.mjs [substring filter...] [--exclude substring...]
//   --limit SECONDS   default time limit per file (env ORDERGATE_TEST_FILE_LIMIT, default 240)
//   --jobs N          files at once (env ORDERGATE_TEST_JOBS, default 2)
//   --dir DIR         where to look (default test), --suffix S (default .test.ts)
//   --no-build        do not build dist/ first (by default it is built incrementally if stale,
//                     since the tests that spawn the CLI or the server run the built JavaScript)
// A file sets its own limit with a comment `// test-file-limit: 420s` in its first 4 KiB, or
// through LIMITS below. Children a file starts through test/support/children.ts are registered
// in a per-file list (env ORDERGATE_TEST_CHILDREN) and their process groups are killed when the
// file ends, whatever the reason.
// The last line is `N passed, N failed` (tests; a failed file with no failing test counts one); the exit status is non-zero on any failure or timeout.
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, closeSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

/** Per-file limits in seconds (a `test-file-limit` comment in the file wins). */
const LIMITS = {
  'test/multi/faults.test.ts': 420,
  'test/multi/instances.test.ts': 300,
  'test/reliability/fuzz.test.ts': 420,
  'test/reliability/crash.test.ts': 300,
};

const argv = process.argv.slice(2);
const opts = { limit: Number(process.env.ORDERGATE_TEST_FILE_LIMIT || 240), jobs: Number(process.env.ORDERGATE_TEST_JOBS || 2), dir: 'test', suffix: '.test.ts', build: true };
const filters = [];
const excludes = [];
let excluding = false;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--exclude') excluding = true;
  else if (a === '--limit') opts.limit = Number(argv[++i]);
  else if (a === '--jobs') opts.jobs = Math.max(1, Number(argv[++i]));
  else if (a === '--dir') opts.dir = argv[++i];
  else if (a === '--suffix') opts.suffix = argv[++i];
  else if (a === '--no-build') opts.build = false;
  else (excluding ? excludes : filters).push(a);
}

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith(opts.suffix)) out.push(p);
  }
  return out;
}

const files = find(opts.dir)
  .map((f) => relative(process.cwd(), f) || f)
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .filter((f) => !excludes.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

if (opts.build) {
  const { ensureBuilt } = await import('./build.mjs');
  try {
    ensureBuilt();
  } catch (e) {
    console.error(`run-tests: ${e.message}`);
    process.exit(1);
  }
}

function limitOf(file) {
  let head = '';
  try {
    const fd = openSync(file, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    head = buf.subarray(0, n).toString('utf8');
  } catch {}
  const m = /test-file-limit:\s*(\d+)\s*s\b/.exec(head);
  if (m) return Number(m[1]);
  const key = file.split('\\').join('/');
  return LIMITS[key] ?? opts.limit;
}

function killGroup(pid, sig = 'SIGKILL') {
  try {
    process.kill(-pid, sig);
  } catch {}
}

/** Live (non-zombie) process-group ids on this machine, or null where /proc is missing. */
function liveGroups() {
  let names;
  try {
    names = readdirSync('/proc');
  } catch {
    return null;
  }
  const groups = new Set();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') groups.add(Number(pgrp));
    } catch {}
  }
  return groups;
}

/**
 * Kills the process groups a file registered (test/support/children.ts); returns how many
 * still had a live process (zombies, which a container's PID 1 may never reap, do not count).
 */
function killRegistered(registry) {
  let text = '';
  try {
    text = readFileSync(registry, 'utf8');
  } catch {
    return 0;
  }
  const groups = liveGroups();
  let n = 0;
  for (const line of text.split('\n')) {
    const pid = Number(line);
    if (!Number.isInteger(pid) || pid <= 1) continue;
    if (groups) {
      if (!groups.has(pid)) continue;
    } else {
      try {
        process.kill(-pid, 0);
      } catch {
        continue; // gone
      }
    }
    killGroup(pid);
    n++;
  }
  return n;
}

const scratch = mkdtempSync(join(tmpdir(), 'og-run-tests-'));
const running = new Map(); // pid -> registry
const color = process.stdout.isTTY && !process.env.NO_COLOR;

function runFile(file, index) {
  const limit = limitOf(file);
  const registry = join(scratch, `${index}.pids`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const env = { ...process.env, ORDERGATE_TEST_CHILDREN: registry, ...(color ? { FORCE_COLOR: '1' } : {}) };
    delete env.NODE_TEST_CONTEXT; // set when this runner is itself started from a test: each file is a run of its own
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-force-exit', file], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    running.set(child.pid, registry);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      killRegistered(registry);
    }, limit * 1000);
    let finished = false;
    const finish = (code, signal) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      running.delete(child.pid);
      killGroup(child.pid); // anything the file's test process left in its group
      const leftovers = killRegistered(registry);
      const ms = Date.now() - t0;
      const ok = !timedOut && code === 0;
      let reason = '';
      if (timedOut) reason = `TIMEOUT: killed after its ${limit} s limit`;
      else if (code !== 0) reason = `exit ${code ?? signal}`;
      if (leftovers > 0) out += `\nrun-tests: killed ${leftovers} child process group(s) ${file} left running\n`;
      // the spec reporter's own totals (`ℹ pass N`, `ℹ fail N`); colour codes stripped
      const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
      const count = (name) => {
        const m = [...plain.matchAll(new RegExp(`^\\u2139 ${name} (\\d+)$`, 'gm'))].pop();
        return m ? Number(m[1]) : undefined;
      };
      resolve({ file, ok, ms, reason, out, limit, pass: count('pass'), fail: count('fail') });
    };
    // 'close' waits for the pipes, which a stray grandchild could hold open: after 'exit', give
    // the output 2 s to drain, then finish regardless
    child.once('exit', (code, signal) => {
      const grace = setTimeout(() => finish(code, signal), 2000);
      child.once('close', () => (clearTimeout(grace), finish(code, signal)));
    });
    child.once('error', (e) => {
      out += `run-tests: could not start node for ${file}: ${e.message}\n`;
      finish(1, null);
    });
  });
}

function cleanupAndExit(code) {
  for (const [pid, registry] of running) {
    killGroup(pid);
    killRegistered(registry);
  }
  rmSync(scratch, { recursive: true, force: true });
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => cleanupAndExit(130));

const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = [];
const t0 = Date.now();
let next = 0;
console.log(`run-tests: ${files.length} file(s), ${opts.jobs} at a time, limit ${opts.limit} s per file unless set`);
async function worker() {
  while (next < files.length) {
    const i = next++;
    const r = await runFile(files[i], i);
    results.push(r);
    const mark = r.ok ? 'ok' : `FAILED (${r.reason})`;
    process.stdout.write(`\n=== ${r.file} ${mark} in ${fmt(r.ms)}\n${r.out.trimEnd()}\n=== end of ${r.file}: ${mark}\n`);
  }
}
await Promise.all(Array.from({ length: Math.min(opts.jobs, files.length) }, worker));
rmSync(scratch, { recursive: true, force: true });

const failed = results.filter((r) => !r.ok);
const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 10);
console.log(`\nrun-tests summary (${fmt(Date.now() - t0)} wall)`);
console.log('slowest files:');
for (const r of slowest) console.log(`  ${fmt(r.ms).padStart(8)}  ${r.file}${r.ok ? '' : `  FAILED (${r.reason})`}`);
if (failed.length > 0) {
  console.log('failed files:');
  for (const r of failed) console.log(`  ${r.file}: ${r.reason}`);
}
// last line: tests, as node's runner counts them; a failed file that reported no failing test
// (a timeout, a crash before the report) counts as one failure, so a red file never reads green
let testsPassed = 0;
let testsFailed = 0;
for (const r of results) {
  testsPassed += r.pass ?? 0;
  const f = r.fail ?? 0;
  testsFailed += r.ok ? f : Math.max(f, 1);
}
console.log(`files: ${results.length - failed.length} passed, ${failed.length} failed`);
console.log(`${testsPassed} passed, ${testsFailed} failed`);
process.exit(failed.length > 0 ? 1 : 0);
