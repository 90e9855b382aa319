/**
 * test/support/children.ts: a stopped child takes its grandchildren with it (process groups),
 * `stopAll` stops every tracked child, and `runChild` kills a command at its time limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { liveCount, runChild, spawnChild, stopAll } from './children.js';

/** Alive = exists and is not a zombie (a container's PID 1 may never reap orphans). */
function alive(pid: number): boolean {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function deadWithin(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A shell that starts a sleeping grandchild and prints its pid. */
async function family(): Promise<{ child: ReturnType<typeof spawnChild>; grandchild: number }> {
  const child = spawnChild('sh', ['-c', 'sleep 1000 & echo $!; wait']);
  const deadline = Date.now() + 30_000;
  while (!/\d+\n/.test(child.stdout()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const grandchild = Number(child.stdout().trim());
  assert.ok(grandchild > 1 && alive(grandchild), `grandchild started: ${child.output()}`);
  return { child, grandchild };
}

test('stop() ends the child and its grandchild', async () => {
  const { child, grandchild } = await family();
  await child.stop(2_000);
  assert.equal(child.alive(), false);
  assert.deepEqual(await deadWithin([child.pid, grandchild], 10_000), []);
});

test('stopAll() ends every tracked child and grandchild', async () => {
  const all = await Promise.all([family(), family()]);
  assert.ok(liveCount() >= 2);
  await stopAll(2_000);
  assert.equal(liveCount(), 0);
  assert.deepEqual(await deadWithin(all.flatMap((f) => [f.child.pid, f.grandchild]), 10_000), []);
});

test('runChild: exit code and output; killed (code 124) at its time limit', async () => {
  const ok = await runChild('sh', ['-c', 'echo out; echo err >&2; exit 3']);
  assert.deepEqual([ok.code, ok.stdout, ok.stderr], [3, 'out\n', 'err\n']);
  const slow = await runChild('sleep', ['1000'], { timeoutMs: 500 });
  assert.equal(slow.code, 124);
  assert.match(slow.stderr, /killed after 500 ms/);
  assert.equal(liveCount(), 0);
});

test('a command that cannot be spawned resolves with 127, never throws', async () => {
  const r = await runChild('/nonexistent/ordergate-test-binary', []);
  assert.equal(r.code, 127);
});
