import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdGenerator, isOrderIdShape } from '../../src/engine/ids.js';

test('ids are 19-digit decimal strings, unique and strictly increasing over 100k', () => {
  const g = new IdGenerator(0);
  const seen = new Set<string>();
  let prev = 0n;
  for (let i = 0; i < 100_000; i++) {
    const id = g.next();
    assert.match(id, /^[1-9]\d{18}$/);
    const n = BigInt(id);
    assert.ok(n > prev, `id ${i} not increasing`);
    prev = n;
    seen.add(id);
  }
  assert.equal(seen.size, 100_000);
  assert.ok(prev < 2n ** 63n, 'fits a signed 64-bit integer');
});

test('more than 4096 ids in one millisecond stay unique and monotonic', () => {
  const g = new IdGenerator(3);
  const now = Date.now();
  const ids = Array.from({ length: 10_000 }, () => g.next(now));
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 1; i < ids.length; i++) assert.ok(BigInt(ids[i]) > BigInt(ids[i - 1]));
});

test('a clock going backwards does not repeat or decrease ids', () => {
  const g = new IdGenerator(0);
  const t = Date.now();
  const a = g.next(t);
  const b = g.next(t - 60_000);
  const c = g.next(t - 120_000);
  assert.ok(BigInt(b) > BigInt(a));
  assert.ok(BigInt(c) > BigInt(b));
});

test('two instances never produce the same id at the same instant', () => {
  const t = Date.now();
  const a = new IdGenerator(1);
  const b = new IdGenerator(2);
  const ia = Array.from({ length: 5000 }, () => a.next(t));
  const ib = Array.from({ length: 5000 }, () => b.next(t));
  const all = new Set([...ia, ...ib]);
  assert.equal(all.size, 10_000);
});

test('ids are time-ordered: a later millisecond gives a larger id', () => {
  const g1 = new IdGenerator(1023);
  const g2 = new IdGenerator(0);
  const t = Date.now();
  assert.ok(BigInt(g2.next(t + 1)) > BigInt(g1.next(t)));
});

test('instance id outside 0..1023 is refused', () => {
  assert.throws(() => new IdGenerator(1024), RangeError);
  assert.throws(() => new IdGenerator(-1), RangeError);
  assert.throws(() => new IdGenerator(1.5), RangeError);
});

test('isOrderIdShape', () => {
  assert.equal(isOrderIdShape(new IdGenerator().next()), true);
  assert.equal(isOrderIdShape('121211212122'), true);
  assert.equal(isOrderIdShape(''), false);
  assert.equal(isOrderIdShape('12a'), false);
  assert.equal(isOrderIdShape('1'.repeat(21)), false);
});
