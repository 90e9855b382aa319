import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BitgetError, Errors, err } from '../../src/domain/errors.js';
import type { Order } from '../../src/domain/types.js';
import { buildOrder, decidePlace, validatePlace, type PlaceCommand, type PreparedPlace } from '../../src/engine/place.js';
import { POLICIES, type Dialect } from '../../src/engine/policy.js';
import { Catalogue, loadCatalogue } from '../../src/markets/catalogue.js';
import type { Loaded } from '../../src/store/types.js';

const cat = loadCatalogue();
const NOW = '1700000000000';

const mixCmd = (p: Partial<PlaceCommand> = {}): PlaceCommand => ({
  uid: '1001',
  category: 'USDT-FUTURES',
  marginMode: 'crossed',
  symbol: 'BTCUSDT',
  side: 'buy',
  orderType: 'limit',
  force: 'gtc',
  price: '30000',
  size: '0.01',
  marginCoin: 'USDT',
  ...p,
});
const spotCmd = (p: Partial<PlaceCommand> = {}): PlaceCommand =>
  mixCmd({ category: 'SPOT', marginMode: null, marginCoin: undefined, ...p });

/** The Bitget error validatePlace throws, as {code, msg}. */
function rejection(cmd: PlaceCommand, family: Dialect = 'mix', catalogue: Catalogue = cat): { code: string; msg: string } | null {
  try {
    validatePlace(cmd, catalogue, POLICIES[family]);
    return null;
  } catch (e) {
    assert.ok(e instanceof BitgetError, `not a BitgetError: ${String(e)}`);
    return { code: e.code, msg: e.message };
  }
}

test('a valid order passes validation', () => {
  assert.equal(rejection(mixCmd()), null);
  assert.equal(rejection(spotCmd({ price: '30000.01', size: '0.000034' }), 'spot'), null);
});

test('price must be on the tick size (40808)', () => {
  assert.deepEqual(rejection(mixCmd({ price: '30000.05' })), {
    code: '40808',
    msg: 'Parameter verification exception price checkBDScale error value=30000.05 checkScale=1',
  });
  assert.equal(rejection(mixCmd({ price: '30000.1' })), null);
  assert.equal(rejection(spotCmd({ price: '30000.001' }), 'spot')?.code, '40808');
});

test('size must be on the size step (40808)', () => {
  assert.deepEqual(rejection(mixCmd({ size: '0.01005' })), {
    code: '40808',
    msg: 'Parameter verification exception size checkBDScale error value=0.01005 checkScale=4',
  });
});

test('size bounds (43006 / 43007) and minimum notional (45110)', () => {
  const c = new Catalogue({
    spot: [],
    futures: [
      {
        productType: 'USDT-FUTURES',
        symbol: 'BTCUSDT',
        baseCoin: 'BTC',
        quoteCoin: 'USDT',
        marginCoins: ['USDT'],
        tickSize: '0.1',
        sizeStep: '0.001',
        minSize: '0.005',
        maxSize: '2',
        minNotional: '5',
      },
    ],
  });
  assert.deepEqual(rejection(mixCmd({ size: '0.004' }), 'mix', c), {
    code: '43006',
    msg: 'The order quantity is less than the minimum transaction quantity',
  });
  assert.equal(rejection(mixCmd({ size: '0.005' }), 'mix', c), null);
  assert.equal(rejection(mixCmd({ size: '2' }), 'mix', c), null);
  assert.deepEqual(rejection(mixCmd({ size: '2.001' }), 'mix', c), {
    code: '43007',
    msg: 'The order quantity is greater than the maximum transaction quantity',
  });
  // 0.005 x 999.9 = 4.9995 < 5
  assert.deepEqual(rejection(mixCmd({ size: '0.005', price: '999.9' }), 'mix', c), { code: '45110', msg: 'less than the minimum amount 5 USDT' });
  // exactly the minimum is enough
  assert.equal(rejection(mixCmd({ size: '0.005', price: '1000' }), 'mix', c), null);
  // default catalogue: 0.0001 BTC at 30000 = 3 USDT < 5
  assert.equal(rejection(mixCmd({ size: '0.0001' }))?.code, '45110');
});

test('unknown symbol: each family answers with its own code', () => {
  assert.deepEqual(rejection(spotCmd({ symbol: 'NOPEUSDT' }), 'spot'), { code: '42016', msg: 'symbol NOPEUSDT is Invalid or not supported spot trade' });
  assert.deepEqual(rejection(mixCmd({ category: 'MARGIN', marginMode: 'crossed', marginCoin: undefined, symbol: 'SOLUSDT' }), 'margin'), {
    code: '42016',
    msg: 'symbol SOLUSDT is Invalid or not supported spot trade',
  });
  assert.deepEqual(rejection(mixCmd({ symbol: 'NOPEUSDT' })), { code: '40072', msg: 'symbol NOPEUSDT is Invalid or not supported mix contract trade' });
  assert.deepEqual(rejection(mixCmd({ symbol: 'NOPEUSDT' }), 'uta'), { code: '25100', msg: 'Trading pair NOPEUSDT does not exist' });
  // a symbol of another category is unknown in this one
  assert.equal(rejection(mixCmd({ category: 'COIN-FUTURES', symbol: 'BTCUSDT', marginCoin: 'BTC' }))?.code, '40072');
});

test('market buy on spot/margin is quote-sized: only the notional is checked', () => {
  const mb = (size: string) => spotCmd({ orderType: 'market', side: 'buy', price: undefined, size });
  assert.equal(rejection(mb('100'), 'spot'), null);
  assert.equal(rejection(mb('1.23'), 'spot'), null); // not on the base size step, but it is quote
  assert.deepEqual(rejection(mb('0.5'), 'spot'), { code: '45110', msg: 'less than the minimum amount 1 USDT' });
  // a market sell is base-sized: the step applies
  assert.equal(rejection(spotCmd({ orderType: 'market', side: 'sell', price: undefined, size: '0.0000001' }), 'spot')?.code, '40808');
  // a futures market buy is base-sized
  assert.equal(rejection(mixCmd({ orderType: 'market', price: undefined, size: '1.00001' }))?.code, '40808');
});

test('malformed or missing fields', () => {
  assert.deepEqual(rejection(mixCmd({ price: undefined })), { code: '40019', msg: 'Parameter price cannot be empty' });
  assert.deepEqual(rejection(mixCmd({ price: '' })), { code: '40019', msg: 'Parameter price cannot be empty' });
  for (const price of ['0', '-1', 'abc', '1e5', ' 30000']) {
    assert.deepEqual(rejection(mixCmd({ price })), { code: '40020', msg: 'Parameter price error' }, price);
  }
  for (const size of ['0', '', '-0.01', 'x', '1e-2']) {
    assert.deepEqual(rejection(mixCmd({ size })), { code: '40020', msg: 'Parameter size error' }, size);
  }
  assert.deepEqual(rejection(mixCmd({ marginCoin: 'BTC' })), { code: '40020', msg: 'Parameter marginCoin error' });
});

test('clientOid form per family', () => {
  assert.equal(rejection(mixCmd({ clientOid: 'a'.repeat(64) })), null);
  assert.equal(rejection(mixCmd({ clientOid: 'BITGET#121211212122' })), null);
  assert.equal(rejection(mixCmd({ clientOid: 'a'.repeat(65) }))?.code, '40305');
  assert.equal(rejection(mixCmd({ clientOid: 'has space' }))?.code, '40305');
  assert.equal(rejection(mixCmd({ clientOid: 'a'.repeat(32) }), 'uta'), null);
  assert.equal(rejection(mixCmd({ clientOid: 'a'.repeat(33) }), 'uta')?.code, '25200');
  assert.equal(rejection(mixCmd({ clientOid: 'a#b' }), 'uta')?.code, '25200');
});

test('buildOrder: resting limit orders are live; market / ioc / fok end cancelled with nothing filled', () => {
  const o = buildOrder(mixCmd({ price: '30000.0', size: '0.0100', clientOid: 'c' }), '1', NOW);
  assert.equal(o.status, 'live');
  assert.equal(o.price, '30000');
  assert.equal(o.size, '0.01');
  assert.equal(o.filledSize, '0');
  assert.equal(o.clientOid, 'c');
  assert.equal(o.cTime, NOW);
  assert.equal(o.cancelReason, '');
  assert.equal(buildOrder(mixCmd({ force: 'post_only' }), '2', NOW).status, 'live');
  for (const c of [mixCmd({ force: 'ioc' }), mixCmd({ force: 'fok' }), mixCmd({ orderType: 'market', price: '123' })]) {
    const x = buildOrder(c, '3', NOW);
    assert.equal(x.status, 'cancelled');
    assert.equal(x.filledSize, '0');
  }
  const m = buildOrder(mixCmd({ orderType: 'market', price: '123' }), '4', NOW);
  assert.equal(m.price, '');
  assert.equal(m.force, 'ioc');
});

function loadedWith(orders: Order[]): Loaded {
  return { byId: new Map(orders.map((o) => [o.orderId, o])), byClientOid: new Map(orders.map((o) => [o.clientOid, o])), scoped: [] };
}
const prep = (id: string, p: Partial<PlaceCommand> = {}): PreparedPlace => ({ cmd: mixCmd(p), orderId: id });

test('decidePlace: clientOid unique among open orders and within the batch', () => {
  const open = buildOrder(mixCmd({ clientOid: 'taken' }), '100', NOW);
  const { result, writes } = decidePlace(
    [prep('1', { clientOid: 'taken' }), prep('2', { clientOid: 'fresh' }), prep('3', { clientOid: 'fresh' }), prep('4')],
    loadedWith([open]),
    POLICIES.mix,
    NOW,
  );
  assert.deepEqual(result, [
    { ok: false, orderId: '', clientOid: 'taken', code: '45034', msg: 'clientOid duplicate' },
    { ok: true, orderId: '2', clientOid: 'fresh' },
    { ok: false, orderId: '', clientOid: 'fresh', code: '45034', msg: 'clientOid duplicate' },
    { ok: true, orderId: '4', clientOid: '' },
  ]);
  assert.deepEqual(writes.inserts.map((o) => o.orderId), ['2', '4']);
  assert.deepEqual(writes.updates, []);
});

test('decidePlace: duplicate codes per family', () => {
  const open = buildOrder(mixCmd({ clientOid: 'x' }), '100', NOW);
  const code = (f: Dialect) => {
    const r = decidePlace([prep('1', { clientOid: 'x' })], loadedWith([open]), POLICIES[f], NOW).result[0];
    return r.ok ? 'ok' : r.code;
  };
  assert.equal(code('spot'), '43118');
  assert.equal(code('mix'), '45034');
  assert.equal(code('uta'), '25212');
});

test('decidePlace: the clientOid of a cancelled or filled order can be reused', () => {
  for (const status of ['cancelled', 'filled'] as const) {
    const old = { ...buildOrder(mixCmd({ clientOid: 'again' }), '100', NOW), status };
    const { result, writes } = decidePlace([prep('1', { clientOid: 'again' })], loadedWith([old]), POLICIES.mix, NOW);
    assert.deepEqual(result, [{ ok: true, orderId: '1', clientOid: 'again' }], status);
    assert.equal(writes.inserts.length, 1);
  }
});

test('decidePlace: items the adapter rejected pass through as failures in place', () => {
  const { result, writes } = decidePlace(
    [{ error: err(Errors.SIZE_TOO_SMALL), clientOid: 'bad' }, prep('2')],
    loadedWith([]),
    POLICIES.mix,
    NOW,
  );
  assert.deepEqual(result[0], {
    ok: false,
    orderId: '',
    clientOid: 'bad',
    code: '43006',
    msg: 'The order quantity is less than the minimum transaction quantity',
  });
  assert.equal(result[1].ok, true);
  assert.equal(writes.inserts.length, 1);
});
