/**
 * Bounded scrypt work for passphrase guesses on a key not yet verified: scrypt calls are
 * counted (no timing) under bursts of wrong passphrases.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PassphraseChecker, type PassphraseHolder } from '../../src/accounts/passphrase.js';
import { BitgetError } from '../../src/domain/errors.js';

/** A stand-in for scrypt that counts calls and how many run at once, per key and in all. */
function countingVerify() {
  const c = { calls: 0, running: 0, maxRunning: 0, byKey: new Map<string, number>(), maxPerKey: 0 };
  const verify = async (passphrase: string, stored: string): Promise<boolean> => {
    c.calls++;
    c.running++;
    c.maxRunning = Math.max(c.maxRunning, c.running);
    const n = (c.byKey.get(stored) ?? 0) + 1;
    c.byKey.set(stored, n);
    c.maxPerKey = Math.max(c.maxPerKey, n);
    await new Promise((r) => setTimeout(r, 2));
    c.byKey.set(stored, (c.byKey.get(stored) ?? 1) - 1);
    c.running--;
    return passphrase === stored.slice(stored.indexOf(':') + 1);
  };
  return { c, verify };
}

/** A key whose "hash" is `apiKey:passphrase` (the counting verify compares plainly). */
const key = (apiKey: string, passphrase = 'right'): PassphraseHolder => ({ apiKey, passphraseHash: `${apiKey}:${passphrase}` });

test('a burst of wrong passphrases on one key: one scrypt at a time, one per distinct guess, none for a repeated one', { timeout: 60_000 }, async () => {
  const { c, verify } = countingVerify();
  const checker = new PassphraseChecker({}, verify);
  const k = key('k1');
  const guesses = Array.from({ length: 200 }, (_, i) => `wrong-${i % 20}`);
  const results = await Promise.all(guesses.map((g) => checker.check(k, g)));
  assert.ok(results.every((r) => r === false));
  assert.equal(c.calls, 20, 'identical guesses in flight share one scrypt');
  assert.equal(c.maxPerKey, 1, 'at most one scrypt in flight per key');
  // the same guesses again: remembered as wrong, no scrypt at all
  await Promise.all(guesses.map((g) => checker.check(k, g)));
  assert.equal(c.calls, 20);
  // the right passphrase still gets through, and afterwards no guess costs a scrypt
  assert.equal(await checker.check(k, 'right'), true);
  assert.equal(c.calls, 21);
  await Promise.all(Array.from({ length: 50 }, (_, i) => checker.check(k, `new-wrong-${i}`)));
  assert.equal(c.calls, 21, 'a verified key compares digests');
  assert.equal(checker.load, 0);
});

test('wrong passphrases on many keys: never more scrypts at once than the global concurrency', { timeout: 60_000 }, async () => {
  const { c, verify } = countingVerify();
  const checker = new PassphraseChecker({ concurrency: 2, queueLimit: 1000 }, verify);
  const keys = Array.from({ length: 10 }, (_, i) => key(`k${i}`));
  const all = keys.flatMap((k) => Array.from({ length: 10 }, (_, j) => checker.check(k, `guess-${j}`)));
  assert.deepEqual(await Promise.all(all), Array(100).fill(false));
  assert.equal(c.calls, 100);
  assert.equal(c.maxRunning, 2);
});

test('a flood beyond the queue is refused with 429 without any scrypt; a remembered failure expires', { timeout: 60_000 }, async () => {
  const { c, verify } = countingVerify();
  const checker = new PassphraseChecker({ concurrency: 1, queueLimit: 5, failureTtlMs: 1000 }, verify);
  const k = key('k');
  const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => checker.check(k, `g${i}`)));
  const refused = outcomes.filter((o) => o.status === 'rejected');
  assert.equal(c.calls, 6, 'concurrency + queueLimit checks ran');
  assert.equal(refused.length, 44);
  for (const o of refused) {
    const e = (o as PromiseRejectedResult).reason;
    assert.ok(e instanceof BitgetError);
    assert.equal(e.code, '429');
    assert.equal(e.status, 429);
  }
  // g0 is remembered as wrong until its entry expires
  assert.equal(await checker.check(k, 'g0'), false);
  assert.equal(c.calls, 6);
  assert.equal(await checker.check(k, 'g0', Date.now() + 2000), false);
  assert.equal(c.calls, 7);
});
