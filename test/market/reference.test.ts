/** Reference price sources: manual, seeded random walk, CSV replay (issue 11 item 2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng, hash32 } from '../../src/market/prng.js';
import { ManualSource, RandomWalkSource } from '../../src/market/reference.js';
import { ReplaySource, lapMs, parseReplayCsv } from '../../src/market/replay.js';
import { isMultipleOf } from '../../src/domain/decimal.js';

const BTC = { key: 'BTCUSDT', start: '30000', tickSize: '0.01', sizeStep: '0.000001' };
const ETH = { key: 'ETHUSDT', start: '2000', tickSize: '0.01', sizeStep: '0.0001', volatility: '0.001' };

test('the PRNG is deterministic per seed and spread over [0, 1)', () => {
  const a = new Prng('42:BTCUSDT');
  const b = new Prng('42:BTCUSDT');
  const c = new Prng('43:BTCUSDT');
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
  assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => c.next()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(mean > 0.45 && mean < 0.55, `mean ${mean}`);
  assert.equal(hash32(''), 0x811c9dc5);
});

test('manual: moves only when told', () => {
  const m = new ManualSource({ BTCUSDT: '30000' });
  assert.deepEqual(m.advance(1e12), []);
  assert.equal(m.price('BTCUSDT'), '30000');
  assert.deepEqual(m.set('BTCUSDT', '30150', 5), { key: 'BTCUSDT', price: '30150', ts: 5 });
  assert.equal(m.price('BTCUSDT'), '30150');
  assert.equal(m.price('ETHUSDT'), undefined);
});

test('random: same seed, same path, whatever the call rate; on the tick grid; set continues from there', () => {
  const a = new RandomWalkSource('7', [BTC, ETH], 0);
  const b = new RandomWalkSource('7', [BTC, ETH], 0);
  const pathA: string[] = [];
  for (let t = 1000; t <= 60_000; t += 1000) {
    a.advance(t);
    pathA.push(a.price('BTCUSDT')!);
  }
  b.advance(60_000); // one call for 60 steps
  assert.equal(b.price('BTCUSDT'), pathA[pathA.length - 1]);
  assert.equal(b.price('ETHUSDT'), a.price('ETHUSDT'));
  assert.ok(new Set(pathA).size > 10, 'the price moves');
  assert.ok(pathA.every((p) => isMultipleOf(p, '0.01')));
  // adding a symbol does not change another symbol's path
  const solo = new RandomWalkSource('7', [BTC], 0);
  solo.advance(60_000);
  assert.equal(solo.price('BTCUSDT'), a.price('BTCUSDT'));
  // another seed, another path
  const other = new RandomWalkSource('8', [BTC], 0);
  other.advance(60_000);
  assert.notEqual(other.price('BTCUSDT'), a.price('BTCUSDT'));
  // moves are reported once per advance with the market time of the last step
  const c = new RandomWalkSource('7', [BTC], 0);
  const moves = c.advance(2500);
  assert.deepEqual(moves.map((m) => [m.key, m.ts]), [['BTCUSDT', 2000]]);
  assert.deepEqual(c.advance(2999), []);
  c.set('BTCUSDT', '31000.004', 3000);
  assert.equal(c.price('BTCUSDT'), '31000');
  c.advance(4000);
  assert.ok(Math.abs(Number(c.price('BTCUSDT')) - 31000) < 500);
  assert.throws(() => new RandomWalkSource('7', [{ ...BTC, volatility: '2' }], 0), /bad volatility/);
});

const CSV = `timestamp,symbol,price,size
1000,BTCUSDT,30000,0.5
# a comment
3000,BTCUSDT,30010
2000,ETHUSDT,2000.5,1
`;

test('replay: parses the CSV (header, comments, optional size), sorted by time; bad lines name themselves', () => {
  const rows = parseReplayCsv(CSV);
  assert.deepEqual(rows, [
    { ts: 1000, symbol: 'BTCUSDT', price: '30000', size: '0.5' },
    { ts: 2000, symbol: 'ETHUSDT', price: '2000.5', size: '1' },
    { ts: 3000, symbol: 'BTCUSDT', price: '30010' },
  ]);
  assert.equal(lapMs(rows), 3000); // span 2000 + mean gap 1000
  assert.throws(() => parseReplayCsv('1000,BTCUSDT,-5'), /line 1: bad price/);
  assert.throws(() => parseReplayCsv('1000,BTCUSDT,30000\nx,BTCUSDT,1'), /line 2: bad timestamp/);
  assert.throws(() => parseReplayCsv('1000,btc,1'), /bad symbol/);
  assert.throws(() => parseReplayCsv('1000,BTCUSDT'), /expected timestamp,symbol,price/);
  assert.throws(() => parseReplayCsv('ts,symbol,price\n'), /no rows/);
});

test('replay: recorded speed, accelerated speed, looping', () => {
  const rows = parseReplayCsv(CSV);
  const r = new ReplaySource(rows, 100_000);
  assert.deepEqual(r.advance(99_999), []);
  assert.deepEqual(r.advance(100_000).map((m) => [m.key, m.price, m.ts, m.size]), [['BTCUSDT', '30000', 100_000, '0.5']]);
  assert.deepEqual(r.advance(102_000).map((m) => [m.key, m.price, m.ts]), [['ETHUSDT', '2000.5', 101_000], ['BTCUSDT', '30010', 102_000]]);
  // lap 2 starts one lap (3000 ms) after lap 1
  assert.deepEqual(r.advance(102_999), []);
  assert.deepEqual(r.advance(103_000).map((m) => [m.price, m.ts]), [['30000', 103_000]]);
  assert.equal(r.price('BTCUSDT'), '30000');
  // ten times faster: the whole first lap is due after 200 ms
  const fast = new ReplaySource(rows, 0, 10);
  assert.deepEqual(fast.advance(200).map((m) => m.ts), [0, 100, 200]);
  // no loop: stops after the last row
  const once = new ReplaySource(rows, 0, 1, false);
  assert.equal(once.advance(1e9).length, 3);
  assert.deepEqual(once.advance(2e9), []);
  // set moves at once; the next row of that symbol overrides it
  r.set('ETHUSDT', '1999', 103_100);
  assert.equal(r.price('ETHUSDT'), '1999');
  r.advance(104_000);
  assert.equal(r.price('ETHUSDT'), '2000.5');
});
