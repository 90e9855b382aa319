/**
 * Crash consistency (quick version; `npm run soak` runs the same driver with 20+ kills):
 * a real `ordergate serve` process on a SQLite file takes concurrent placements, batch
 * cancels, cancel-alls and fills, is killed with SIGKILL at a random moment and restarted,
 * three times. After each restart nothing acknowledged may be lost and no order may be in an
 * impossible state (see runCrashCycles in drivers.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrashCycles } from './drivers.js';

test('three SIGKILLs under concurrent load lose no acknowledged placement, cancel, cancel-all or fill', { timeout: 200_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordergate-crash-'));
  try {
    const fig = await runCrashCycles({ kills: 3, dir, minLoadMs: 200, maxLoadMs: 900 });
    const ctx = `seed ${fig.seed}: ${JSON.stringify({ ...fig, violations: fig.violations.length })}`;
    assert.deepEqual(fig.violations, [], ctx);
    assert.equal(fig.kills, 3, ctx);
    // the load really ran: every kind of acknowledged operation happened
    assert.ok(fig.placementsAcked >= 30, ctx);
    assert.ok(fig.cancelsAcked >= 10, ctx);
    assert.ok(fig.scopeCancelsAcked >= 3, ctx);
    assert.ok(fig.fillsAcked >= 3, ctx);
    assert.ok(fig.httpSamplesVerified >= 3, ctx);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
