/** Merged depth (merge-depth `precision`): bids merge down, asks up, best first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderBook } from '../../src/matching/book.js';
import { mergeDepth, mergeStepTicks } from '../../src/market/depth.js';

test('merge steps and sums per side, best first, with a limit', () => {
  assert.deepEqual(['scale0', 'scale1', 'scale2', 'scale3'].map((p) => mergeStepTicks(p as 'scale0')), [1n, 10n, 100n, 1000n]);
  const b = new OrderBook('SPOT', 'X');
  let n = 0;
  const add = (side: 'buy' | 'sell', price: bigint, remaining: bigint) => b.add({ orderId: `o${n++}`, uid: 'u', side, price, remaining, stpMode: 'none' });
  add('buy', 1009n, 1n);
  add('buy', 1001n, 2n);
  add('buy', 1000n, 3n);
  add('buy', 999n, 4n);
  add('sell', 1011n, 5n);
  add('sell', 1020n, 6n);
  add('sell', 1021n, 7n);
  const pl = (xs: ReturnType<typeof mergeDepth>) => xs.map((l) => [l.price, l.size, l.count]);
  assert.deepEqual(pl(mergeDepth(b.depth('buy'), 'buy', 10n)), [[1000n, 6n, 3], [990n, 4n, 1]]);
  assert.deepEqual(pl(mergeDepth(b.depth('sell'), 'sell', 10n)), [[1020n, 11n, 2], [1030n, 7n, 1]]);
  assert.deepEqual(pl(mergeDepth(b.depth('sell'), 'sell', 10n, 1)), [[1020n, 11n, 2]]);
  assert.deepEqual(pl(mergeDepth(b.depth('buy'), 'buy', 1n)), [[1009n, 1n, 1], [1001n, 2n, 1], [1000n, 3n, 1], [999n, 4n, 1]]);
});
