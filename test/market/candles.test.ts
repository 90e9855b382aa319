/** Candles at every Bitget granularity (issue 11 item 3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRANULARITIES, bucketStart, buildCandles, nextBucket, parseGranularity } from '../../src/market/candles.js';

const T = (iso: string) => Date.parse(iso);
const g = (d: 'spot' | 'mix' | 'uta', n: string) => parseGranularity(d, n)!;

test('every dialect spelling parses; others do not', () => {
  assert.deepEqual(GRANULARITIES.spot.map((x) => x.name), ['1min', '3min', '5min', '15min', '30min', '1h', '4h', '6h', '12h', '1day', '3day', '1week', '1M', '6Hutc', '12Hutc', '1Dutc', '3Dutc', '1Wutc', '1Mutc']);
  assert.deepEqual(GRANULARITIES.mix.map((x) => x.name), ['1m', '3m', '5m', '15m', '30m', '1H', '2H', '4H', '6H', '12H', '1D', '3D', '1W', '1M', '6Hutc', '12Hutc', '1Dutc', '3Dutc', '1Wutc', '1Mutc']);
  assert.deepEqual(GRANULARITIES.uta.map((x) => x.name), ['1m', '3m', '5m', '15m', '30m', '1H', '2H', '4H', '6H', '12H', '1D', '1W', '1M']);
  assert.equal(parseGranularity('spot', '1m'), undefined);
  assert.equal(parseGranularity('mix', '1min'), undefined);
  assert.equal(parseGranularity('mix', '1h'), undefined);
});

test('boundaries: minutes and hours on the epoch grid; 6h and up UTC+8 unless utc; weeks Monday; months the 1st', () => {
  const ts = T('2026-12-02T17:41:30.123Z'); // a Wednesday
  assert.equal(bucketStart(ts, g('mix', '1m')), T('2026-12-02T17:41:00Z'));
  assert.equal(bucketStart(ts, g('mix', '15m')), T('2026-12-02T17:30:00Z'));
  assert.equal(bucketStart(ts, g('mix', '4H')), T('2026-12-02T16:00:00Z'));
  assert.equal(bucketStart(ts, g('mix', '6H')), T('2026-12-02T16:00:00Z')); // 00:00 UTC+8
  assert.equal(bucketStart(ts, g('mix', '6Hutc')), T('2026-12-02T12:00:00Z'));
  assert.equal(bucketStart(ts, g('mix', '1D')), T('2026-12-02T16:00:00Z'));
  assert.equal(bucketStart(T('2026-12-02T15:59:59Z'), g('spot', '1day')), T('2026-12-01T16:00:00Z'));
  assert.equal(bucketStart(ts, g('mix', '1Dutc')), T('2026-12-02T00:00:00Z'));
  assert.equal(bucketStart(ts, g('mix', '1Wutc')), T('2026-11-30T00:00:00Z')); // Monday
  assert.equal(bucketStart(ts, g('mix', '1W')), T('2026-11-29T16:00:00Z')); // Monday 00:00 UTC+8
  assert.equal(bucketStart(ts, g('mix', '1Mutc')), T('2026-12-01T00:00:00Z'));
  assert.equal(bucketStart(ts, g('spot', '1M')), T('2026-11-30T16:00:00Z'));
  assert.equal(nextBucket(T('2026-12-01T00:00:00Z'), g('mix', '1Mutc')), T('2027-01-01T00:00:00Z'));
  assert.equal(nextBucket(T('2027-01-31T16:00:00Z'), g('mix', '1M')), T('2027-02-28T16:00:00Z'));
  const three = bucketStart(ts, g('mix', '3Dutc'));
  assert.equal((three / 86_400_000) % 3, 0);
  // every granularity: the bucket holds the instant and the next bucket starts after it
  for (const d of ['spot', 'mix', 'uta'] as const) {
    for (const gr of GRANULARITIES[d]) {
      const s = bucketStart(ts, gr);
      assert.ok(s <= ts && ts < nextBucket(s, gr), `${d} ${gr.name}`);
      assert.equal(bucketStart(s, gr), s);
    }
  }
});

test('OHLCV from trades in decimal strings; out-of-order input; gaps filled flat at the previous close', () => {
  const base = T('2026-12-02T10:00:00Z');
  const trades = [
    { ts: base + 5_000, price: '30000', size: '0.1' },
    { ts: base + 59_999, price: '29990.5', size: '0.25' },
    { ts: base + 1_000, price: '30010', size: '0.05' },
    { ts: base + 20_000, price: '30020.01', size: '0.000001' },
    { ts: base + 180_000, price: '30100', size: '1' },
  ];
  const c = buildCandles(trades, g('mix', '1m'));
  assert.deepEqual(c, [
    { ts: base, open: '30010', high: '30020.01', low: '29990.5', close: '29990.5', baseVolume: '0.400001', quoteVolume: '11998.15502001' },
    { ts: base + 180_000, open: '30100', high: '30100', low: '30100', close: '30100', baseVolume: '1', quoteVolume: '30100' },
  ]);
  const filled = buildCandles(trades, g('mix', '1m'), { fillGaps: true });
  assert.deepEqual(filled.map((x) => [x.ts - base, x.open, x.close, x.baseVolume]), [
    [0, '30010', '29990.5', '0.400001'],
    [60_000, '29990.5', '29990.5', '0'],
    [120_000, '29990.5', '29990.5', '0'],
    [180_000, '30100', '30100', '1'],
  ]);
  assert.equal(buildCandles(trades, g('mix', '1H')).length, 1);
  assert.deepEqual(buildCandles([], g('mix', '1m')), []);
});
