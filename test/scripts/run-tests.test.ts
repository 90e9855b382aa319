/**
 * scripts/run-tests.mjs never hangs: run on the fixtures in test/scripts/fixtures with a 15 s
 * default limit per file (long enough for tsx to start the fixture on a busy machine; the other
 * two fixtures set 120 s by comment), it ends, names the file that hung, exits non-zero, prints the closing
 * `N passed, N failed` line, and no child (nor grandchild) of a fixture survives: not the one
 * started by a file killed at its limit, not the one started by a `before` that threw.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from '../support/children.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'og-runner-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Alive = exists and is not a zombie (a container's PID 1 may never reap orphans). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    if (existsSync('/proc/self/stat')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

async function deadWithin(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pidsOf = (name: string) =>
  readFileSync(join(dir, name), 'utf8')
    .trim()
    .split('\n')
    .map(Number);

test('a hanging file fails by name at its limit; children of failed files are dead', async () => {
  const r = await runChild(
    process.execPath,
    [join(ROOT, 'scripts/run-tests.mjs'), '--dir', 'test/scripts/fixtures', '--suffix', '.fixture.ts', '--limit', '15', '--no-build'],
    { cwd: ROOT, env: { ...process.env, FIXTURE_DIR: dir, ORDERGATE_TEST_CHILDREN: '' }, timeoutMs: 150_000 },
  );
  const out = r.stdout + r.stderr;
  assert.notEqual(r.code, 124, `the runner itself hung:\n${out}`);
  assert.equal(r.code, 1, out);
  const lines = out.trimEnd().split('\n');
  assert.equal(lines[lines.length - 2], 'files: 1 passed, 2 failed', out);
  // tests: the passing fixture's tests pass; each failed file counts at least one failure
  const [, passed, failed] = /^(\d+) passed, (\d+) failed$/.exec(lines[lines.length - 1]) ?? [];
  assert.ok(Number(passed) >= 1 && Number(failed) >= 2, out);
  assert.match(out, /test\/scripts\/fixtures\/hang\.fixture\.ts: TIMEOUT: killed after its 15 s limit/);
  assert.match(out, /test\/scripts\/fixtures\/before-throws\.fixture\.ts: exit 1/);
  assert.match(out, /the second instance did not start/, 'the file output is printed');
  assert.match(out, /=== test\/scripts\/fixtures\/pass\.fixture\.ts ok/);

  const hung = pidsOf('hang.pids');
  const threw = pidsOf('before.pids');
  assert.equal(hung.length + threw.length, 4, 'each fixture started a child and a grandchild');
  assert.deepEqual(await deadWithin([...hung, ...threw], 10_000), [], 'every child and grandchild is dead');
  // the before-throws file cleaned up after itself (test/support/children.ts's root `after`),
  // so the runner found nothing of it left to kill
  const section = out.slice(out.indexOf('=== test/scripts/fixtures/before-throws'), out.indexOf('=== end of test/scripts/fixtures/before-throws'));
  assert.doesNotMatch(section, /run-tests: killed/);
});
