import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalogue, loadCatalogue, priceEndStep, stepPlaces, type CatalogueFile } from '../../src/markets/catalogue.js';

const spot = (over: Record<string, unknown> = {}) => ({
  symbol: 'BTCUSDT',
  baseCoin: 'BTC',
  quoteCoin: 'USDT',
  tickSize: '0.01',
  sizeStep: '0.000001',
  minSize: '0.000001',
  maxSize: '10000',
  minNotional: '1',
  ...over,
});
const fut = (over: Record<string, unknown> = {}) => ({
  productType: 'USDT-FUTURES',
  symbol: 'BTCUSDT',
  baseCoin: 'BTC',
  quoteCoin: 'USDT',
  marginCoins: ['USDT'],
  tickSize: '0.5',
  sizeStep: '0.001',
  minSize: '0.001',
  maxSize: '1000',
  minNotional: '5',
  ...over,
});
const file = (s: unknown[], f: unknown[]) => ({ spot: s, futures: f }) as unknown as CatalogueFile;

test('stepPlaces counts the decimals of a step, ignoring trailing zeros', () => {
  assert.equal(stepPlaces('1'), 0);
  assert.equal(stepPlaces('10'), 0);
  assert.equal(stepPlaces('0.1'), 1);
  assert.equal(stepPlaces('0.01'), 2);
  assert.equal(stepPlaces('0.010'), 2);
  assert.equal(stepPlaces('0.000001'), 6);
  assert.equal(stepPlaces('0.25'), 2);
});

test("priceEndStep is the tick in units of its last decimal (Bitget's contracts field)", () => {
  assert.equal(priceEndStep('0.1'), '1');
  assert.equal(priceEndStep('0.5'), '5');
  assert.equal(priceEndStep('0.25'), '25');
  assert.equal(priceEndStep('0.01'), '1');
  assert.equal(priceEndStep('5'), '5');
  assert.equal(priceEndStep('0.010'), '1');
});

test('the default catalogue keeps its symbols and derives precision from tickSize / sizeStep', () => {
  const c = loadCatalogue();
  assert.deepEqual(
    c.list('SPOT').map((m) => m.symbol),
    ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
  );
  assert.deepEqual(
    c.list('MARGIN').map((m) => m.symbol),
    ['BTCUSDT', 'ETHUSDT'],
  );
  assert.deepEqual(c.list('USDT-FUTURES').map((m) => m.symbol), ['BTCUSDT', 'ETHUSDT']);
  assert.deepEqual(c.list('COIN-FUTURES').map((m) => m.symbol), ['BTCUSD', 'ETHUSD']);
  assert.deepEqual(c.list('USDC-FUTURES').map((m) => m.symbol), ['BTCPERP']);

  const s = c.get('SPOT', 'BTCUSDT')!;
  assert.equal(s.pricePlace, 2);
  assert.equal(s.volumePlace, 6);
  assert.equal(s.priceEndStep, '1');
  assert.equal(s.makerFeeRate, '0.001');
  assert.equal(s.takerFeeRate, '0.001');

  const f = c.get('USDT-FUTURES', 'BTCUSDT')!;
  assert.equal(f.pricePlace, 1);
  assert.equal(f.volumePlace, 4);
  assert.equal(f.priceEndStep, '1');
  assert.equal(f.makerFeeRate, '0.0002');
  assert.equal(f.takerFeeRate, '0.0006');
  assert.equal(f.minLever, '1');
  assert.equal(f.maxLever, '125');
  assert.deepEqual(f.marginCoins, ['USDT']);
});

test('optional fee and leverage fields override the defaults', () => {
  const c = new Catalogue(
    file([spot({ makerFeeRate: '0.0008', takerFeeRate: '0.0009' })], [fut({ makerFeeRate: '0.0001', takerFeeRate: '0.0004', minLever: '2', maxLever: '50' })]),
  );
  assert.equal(c.get('SPOT', 'BTCUSDT')!.makerFeeRate, '0.0008');
  assert.equal(c.get('SPOT', 'BTCUSDT')!.takerFeeRate, '0.0009');
  const f = c.get('USDT-FUTURES', 'BTCUSDT')!;
  assert.deepEqual([f.makerFeeRate, f.takerFeeRate, f.minLever, f.maxLever], ['0.0001', '0.0004', '2', '50']);
  assert.equal(f.priceEndStep, '5');
  assert.equal(f.pricePlace, 1);
});

test('assetCoins lists spot coins and futures base / margin coins, not the USD index unit', () => {
  const c = loadCatalogue();
  assert.deepEqual(c.assetCoins(), ['BTC', 'ETH', 'SOL', 'USDC', 'USDT']);
  assert.ok(c.coins().includes('USD'));
});

test('invalid catalogues are refused with a message naming the problem', () => {
  assert.throws(() => new Catalogue(file([spot({ tickSize: '0' })], [])), /zero tickSize/);
  assert.throws(() => new Catalogue(file([spot({ sizeStep: '0.000' })], [])), /zero tickSize\/sizeStep/);
  assert.throws(() => new Catalogue(file([spot(), spot()], [])), /duplicate market SPOT:BTCUSDT/);
  assert.throws(() => new Catalogue(file([], [fut({ minLever: '20', maxLever: '10' })])), /minLever above maxLever/);
  assert.throws(() => new Catalogue(file([], [fut({ maxLever: '0' })])), /invalid market catalogue at \/futures\/0\/maxLever/);
  assert.throws(() => new Catalogue(file([spot({ makerFeeRate: '-1' })], [])), /invalid market catalogue at \/spot\/0\/makerFeeRate/);
  assert.throws(() => new Catalogue(file([spot({ tickSize: 1 })], [])), /invalid market catalogue/);
});

test('loadCatalogue reads a replacement file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'og-cat-'));
  const p = join(dir, 'markets.json');
  writeFileSync(p, JSON.stringify(file([spot({ symbol: 'XRPUSDT', baseCoin: 'XRP', tickSize: '0.0001' })], [])));
  const c = loadCatalogue(p);
  assert.deepEqual(c.all.map((m) => `${m.category}:${m.symbol}`), ['SPOT:XRPUSDT']);
  assert.equal(c.get('SPOT', 'XRPUSDT')!.pricePlace, 4);
});
