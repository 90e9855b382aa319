import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BitgetError } from '../../src/domain/errors.js';
import type { Order } from '../../src/domain/types.js';
import { decideFill } from '../../src/engine/fill.js';
import type { Loaded } from '../../src/store/types.js';

const NOW = '1700000000001';
const base: Order = {
  orderId: '1',
  clientOid: 'c',
  uid: '1001',
  category: 'USDT-FUTURES',
  marginMode: 'crossed',
  symbol: 'BTCUSDT',
  side: 'buy',
  orderType: 'limit',
  force: 'gtc',
  price: '30000.1',
  size: '0.03',
  filledSize: '0',
  filledQuote: '0',
  status: 'live',
  marginCoin: 'USDT',
  extra: {},
  cTime: '1700000000000',
  uTime: '1700000000000',
  cancelReason: '',
};
const L = (o?: Order): Loaded => ({ byId: new Map(o ? [[o.orderId, o]] : []), byClientOid: new Map(), scoped: [] });

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof BitgetError);
    return e.code;
  }
  return 'no error';
}

test('partial fill then the rest: sizes and quote add up exactly', () => {
  const a = decideFill('1', '0.01', L(base), NOW);
  assert.equal(a.result.status, 'partially_filled');
  assert.equal(a.result.filledSize, '0.01');
  assert.equal(a.result.filledQuote, '300.001');
  assert.equal(a.result.uTime, NOW);
  assert.deepEqual(a.writes.updates, [
    { orderId: '1', status: 'partially_filled', filledSize: '0.01', filledQuote: '300.001', uTime: NOW, cancelReason: '' },
  ]);
  const b = decideFill('1', '0.02', L(a.result), NOW);
  assert.equal(b.result.status, 'filled');
  assert.equal(b.result.filledSize, '0.03');
  assert.equal(b.result.filledQuote, '900.003');
});

test('without a size, everything left is filled', () => {
  const part = { ...base, filledSize: '0.01', filledQuote: '300.001', status: 'partially_filled' as const };
  const r = decideFill('1', undefined, L(part), NOW);
  assert.equal(r.result.status, 'filled');
  assert.equal(r.result.filledSize, '0.03');
});

test('errors: unknown order 43001, finished 40769, bad or excessive size 40020', () => {
  assert.equal(code(() => decideFill('2', '0.01', L(base), NOW)), '43001');
  assert.equal(code(() => decideFill('1', '0.01', L({ ...base, status: 'cancelled' }), NOW)), '40769');
  assert.equal(code(() => decideFill('1', '0.01', L({ ...base, status: 'filled', filledSize: '0.03' }), NOW)), '40769');
  for (const size of ['0', '0.031', '-1', 'abc', '']) assert.equal(code(() => decideFill('1', size, L(base), NOW)), '40020', size);
});
