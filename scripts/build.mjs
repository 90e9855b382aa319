#!/usr/bin/env node
// Incremental build of src/ into dist/ (tsc with tsconfig.json's `incremental`), skipped when
// dist/ is current: nothing under src/ (nor tsconfig.json, package.json) is newer than the
// build stamp dist/.tsbuildinfo. Checking costs a few ms; a build after an edit a few seconds.
//   node scripts/build.mjs            build if stale (what `npm start`, the CLI launcher and the test runner do)
//   node scripts/build.mjs --force    always run tsc (still incremental); any type error fails (`npm run build`)
// Two processes building at once would write the same files: a lock (dist/.build.lock) makes
// the second wait for the first and then find dist/ current.
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'dist', '.tsbuildinfo');
const LOCK = join(ROOT, 'dist', '.build.lock');

function newest(dir) {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) max = Math.max(max, newest(p));
    else max = Math.max(max, statSync(p).mtimeMs);
  }
  // a deleted or renamed file changes its directory's mtime
  return Math.max(max, statSync(dir).mtimeMs);
}

/** True when dist/ is older than a source (or missing). */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  const inputs = [join(ROOT, 'tsconfig.json'), join(ROOT, 'package.json')].map((f) => statSync(f).mtimeMs);
  return Math.max(newest(join(ROOT, 'src')), ...inputs) > built;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function lock() {
  mkdirSync(dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      closeSync(openSync(LOCK, 'wx'));
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // a lock left by a killed build is taken over after 3 minutes
      if (Date.now() > deadline || Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 180_000) {
        rmSync(LOCK, { force: true });
        continue;
      }
      sleep(200);
    }
  }
}

/**
 * Builds dist/ when it is stale (or always with force). Prints tsc's errors. Throws when tsc
 * emitted nothing, or (with strict) when it reported any error; without strict, type errors
 * with JavaScript emitted (tsc exit 2) are a warning, so a half-done edit still runs (the
 * typecheck is `npm run typecheck`). Returns true when tsc ran.
 */
export function ensureBuilt({ force = false, quiet = false, strict = false } = {}) {
  if (!force && !isStale()) return false;
  lock();
  try {
    if (!force && !isStale()) return false; // another process built it while we waited
    if (!quiet) process.stderr.write('ordergate: building dist/ (tsc --incremental)...\n');
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: ['ignore', 2, 2] }); // tsc's report on stderr: stdout is the command's (--json)
    if (r.status === 2 && !strict) process.stderr.write('ordergate: dist/ built with type errors (see above)\n');
    else if (r.status !== 0) throw new Error(`build failed (tsc exit ${r.status ?? r.signal})`);
    // tsc leaves the stamp untouched when it finds nothing to emit (a file touched but unchanged)
    const now = new Date();
    if (existsSync(STAMP)) utimesSync(STAMP, now, now);
    return true;
  } finally {
    rmSync(LOCK, { force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureBuilt({ force: process.argv.includes('--force'), strict: process.argv.includes('--force') });
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
