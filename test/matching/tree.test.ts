/** The sorted map of price levels against a plain Map sorted on demand, over random set/delete flows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SortedMap } from '../../src/matching/tree.js';

test('SortedMap agrees with a sorted Map after every set/delete; min, max and both iterations', () => {
  const step = fc.record({ del: fc.boolean(), key: fc.integer({ min: -50, max: 50 }), value: fc.nat() });
  fc.assert(
    fc.property(fc.array(step, { maxLength: 200, size: 'max' }), (steps) => {
      const t = new SortedMap<number>();
      const ref = new Map<bigint, number>();
      for (const s of steps) {
        const k = BigInt(s.key);
        if (s.del) assert.equal(t.delete(k), ref.delete(k));
        else {
          t.set(k, s.value);
          ref.set(k, s.value);
        }
        const sorted = [...ref.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
        assert.equal(t.size, ref.size);
        assert.deepEqual([...t.ascending()], sorted);
        assert.deepEqual([...t.descending()], [...sorted].reverse());
        assert.deepEqual(t.min(), sorted[0]);
        assert.deepEqual(t.max(), sorted[sorted.length - 1]);
        assert.equal(t.get(k), ref.get(k));
      }
    }),
    { numRuns: 200, seed: 7 },
  );
});

test('SortedMap stays balanced on sorted inserts (a price ladder): 100,000 keys in and half of them out', () => {
  const t = new SortedMap<number>();
  for (let i = 0; i < 100_000; i++) t.set(BigInt(i), i);
  for (let i = 0; i < 100_000; i += 2) t.delete(BigInt(i));
  assert.equal(t.size, 50_000);
  assert.deepEqual(t.min(), [1n, 1]);
  assert.deepEqual(t.max(), [99_999n, 99_999]);
});
