import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideCancel, decideCancelScope, type CancelItem, type CancelTarget } from '../../src/engine/cancel.js';
import { POLICIES } from '../../src/engine/policy.js';
import type { Order } from '../../src/domain/types.js';
import type { Loaded } from '../../src/store/types.js';

const NOW = '1700000000000';

function order(p: Partial<Order> & { orderId: string }): Order {
  return {
    clientOid: '',
    uid: '1001',
    category: 'USDT-FUTURES',
    marginMode: 'crossed',
    symbol: 'BTCUSDT',
    side: 'buy',
    orderType: 'limit',
    force: 'gtc',
    price: '30000',
    size: '0.01',
    filledSize: '0',
    filledQuote: '0',
    status: 'live',
    marginCoin: 'USDT',
    extra: {},
    cTime: '1600000000000',
    uTime: '1600000000000',
    cancelReason: '',
    ...p,
  };
}

function loaded(orders: Order[]): Loaded {
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  const byClientOid = new Map<string, Order>();
  for (const o of orders) {
    if (!o.clientOid) continue;
    const cur = byClientOid.get(o.clientOid);
    const open = (x: Order) => x.status === 'live' || x.status === 'partially_filled';
    if (!cur || (open(o) && !open(cur))) byClientOid.set(o.clientOid, o);
  }
  return { byId, byClientOid, scoped: orders };
}

const mix: CancelTarget = { uid: '1001', categories: ['USDT-FUTURES'] };
const byId = (orderId: string, symbol = 'BTCUSDT'): CancelItem => ({ ref: { orderId }, symbol });

test('items are decided in request order with partial success', () => {
  const l = loaded([order({ orderId: '1' }), order({ orderId: '3' })]);
  const { result, writes } = decideCancel(mix, [byId('3'), byId('2'), byId('1')], l, POLICIES.mix, NOW);
  assert.deepEqual(result, [
    { ok: true, orderId: '3', clientOid: '' },
    { ok: false, orderId: '2', clientOid: '', code: '40768', msg: 'Order does not exist' },
    { ok: true, orderId: '1', clientOid: '' },
  ]);
  assert.deepEqual(
    writes.updates.map((u) => u.orderId),
    ['3', '1'],
  );
  assert.deepEqual(writes.inserts, []);
  for (const u of writes.updates) {
    assert.equal(u.status, 'cancelled');
    assert.equal(u.uTime, NOW);
    assert.equal(u.cancelReason, 'normal_cancel');
  }
});

test('foreign uid, wrong symbol, category, marginMode, marginCoin all look exactly like a missing order', () => {
  const hidden = [
    order({ orderId: '10', uid: '9999' }),
    order({ orderId: '11', symbol: 'ETHUSDT' }),
    order({ orderId: '12', category: 'COIN-FUTURES', symbol: 'BTCUSDT', marginCoin: 'BTC' }),
    order({ orderId: '13', marginMode: 'isolated' }),
    order({ orderId: '14', marginCoin: 'USDC' }),
  ];
  const target: CancelTarget = { uid: '1001', categories: ['USDT-FUTURES'], marginMode: 'crossed', marginCoin: 'USDT' };
  const items = ['10', '11', '12', '13', '14', '15'].map((id) => byId(id));
  const { result, writes } = decideCancel(target, items, loaded(hidden), POLICIES.mix, NOW);
  const missing = result[5];
  assert.deepEqual(missing, { ok: false, orderId: '15', clientOid: '', code: '40768', msg: 'Order does not exist' });
  for (const [i, r] of result.entries()) {
    assert.deepEqual({ ...r, orderId: '15' }, missing, `item ${i} reveals something`);
  }
  assert.equal(writes.updates.length, 0);
});

test('a hidden order found by clientOid does not leak its orderId', () => {
  const l = loaded([order({ orderId: '10', uid: '9999', clientOid: 'mine' })]);
  const { result } = decideCancel(mix, [{ ref: { clientOid: 'mine' }, symbol: 'BTCUSDT' }], l, POLICIES.mix, NOW);
  assert.deepEqual(result, [{ ok: false, orderId: '', clientOid: 'mine', code: '40768', msg: 'Order does not exist' }]);
});

test('an order named twice in one batch is cancelled once; the repeat fails as finished', () => {
  const l = loaded([order({ orderId: '1', clientOid: 'c1' })]);
  const items: CancelItem[] = [byId('1'), byId('1'), { ref: { clientOid: 'c1' }, symbol: 'BTCUSDT' }];
  const { result, writes } = decideCancel(mix, items, l, POLICIES.mix, NOW);
  assert.equal(writes.updates.length, 1);
  assert.equal(result[0].ok, true);
  assert.deepEqual(result[1], { ok: false, orderId: '1', clientOid: 'c1', code: '40769', msg: 'Reject order has been completed' });
  assert.deepEqual(result[2], { ok: false, orderId: '1', clientOid: 'c1', code: '40769', msg: 'Reject order has been completed' });
});

test('orderId wins over clientOid when both are given', () => {
  const l = loaded([order({ orderId: '1', clientOid: 'a' }), order({ orderId: '2', clientOid: 'b' })]);
  const { result, writes } = decideCancel(mix, [{ ref: { orderId: '2', clientOid: 'a' }, symbol: 'BTCUSDT' }], l, POLICIES.mix, NOW);
  assert.deepEqual(result, [{ ok: true, orderId: '2', clientOid: 'b' }]);
  assert.deepEqual(writes.updates.map((u) => u.orderId), ['2']);
});

test('a partially filled order is cancelled with its filled part kept', () => {
  const l = loaded([order({ orderId: '1', size: '0.01', filledSize: '0.004', filledQuote: '120', status: 'partially_filled' })]);
  const { result, writes } = decideCancel(mix, [byId('1')], l, POLICIES.mix, NOW);
  assert.equal(result[0].ok, true);
  assert.deepEqual(writes.updates[0], {
    orderId: '1',
    status: 'cancelled',
    filledSize: '0.004',
    filledQuote: '120',
    uTime: NOW,
    cancelReason: 'normal_cancel',
    held: '0',
  });
});

test('finished orders fail with the family code; not-found codes per family', () => {
  const finished = [order({ orderId: '1', status: 'filled', filledSize: '0.01' }), order({ orderId: '2', status: 'cancelled' })];
  const cases: Array<[keyof typeof POLICIES, CancelTarget, string, string, string]> = [
    ['mix', mix, '40769', 'Reject order has been completed', '40768'],
    ['spot', { uid: '1001', categories: ['USDT-FUTURES'] }, '43001', 'The order does not exist', '43001'],
    ['margin', { uid: '1001', categories: ['USDT-FUTURES'] }, '43001', 'The order does not exist', '43001'],
    ['uta', { uid: '1001', categories: ['USDT-FUTURES'] }, '45134', 'The order 1:filled have filled or cancelled', '25204'],
  ];
  for (const [family, target, code, msg, nf] of cases) {
    const { result, writes } = decideCancel(target, [byId('1'), byId('2'), byId('404')], loaded(finished), POLICIES[family], NOW);
    assert.equal(writes.updates.length, 0, family);
    assert.equal(result[0].ok, false);
    assert.equal(result[0].ok === false && result[0].code, code, family);
    assert.equal(result[0].ok === false && result[0].msg, msg, family);
    assert.equal(result[1].ok === false && result[1].code, code, family);
    assert.equal(result[2].ok === false && result[2].code, nf, family);
  }
  const uta = decideCancel(mix, [byId('2')], loaded(finished), POLICIES.uta, NOW).result[0];
  assert.equal(uta.ok === false && uta.msg, 'The order 2:cancelled have filled or cancelled');
});

test('an item without symbol is not filtered on symbol', () => {
  const l = loaded([order({ orderId: '1', symbol: 'ETHUSDT' })]);
  const { result } = decideCancel(mix, [{ ref: { orderId: '1' } }], l, POLICIES.mix, NOW);
  assert.equal(result[0].ok, true);
});

test('decideCancelScope cancels every open order loaded, skipping finished ones, in load order', () => {
  const l = loaded([
    order({ orderId: '1' }),
    order({ orderId: '2', status: 'filled' }),
    order({ orderId: '3', status: 'partially_filled', filledSize: '0.001', clientOid: 'x' }),
  ]);
  const { result, writes } = decideCancelScope({ uid: '1001', categories: ['USDT-FUTURES'] }, l, NOW);
  assert.deepEqual(result, [
    { ok: true, orderId: '1', clientOid: '' },
    { ok: true, orderId: '3', clientOid: 'x' },
  ]);
  assert.deepEqual(writes.updates.map((u) => [u.orderId, u.filledSize]), [['1', '0'], ['3', '0.001']]);
});
