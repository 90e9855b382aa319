/**
 * The typed place / cancel / query calls against a live ordergate, in every family and both
 * account modes: request shapes accepted, answers normalised, errors typed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BitgetApiError, type Category, type MarginMode } from '../../src/client/index.js';
import { clientFor, seed, startLive, type LiveServer } from './fixtures.js';

let s: LiveServer;
before(async () => {
  s = await startLive({ rateLimit: false });
});
after(async () => s.close());

const cases: Array<{ mode: 'classic' | 'unified'; category: Category; symbol: string; size: string; marginMode?: MarginMode }> = [
  { mode: 'classic', category: 'SPOT', symbol: 'BTCUSDT', size: '1' },
  { mode: 'classic', category: 'MARGIN', symbol: 'BTCUSDT', size: '1', marginMode: 'crossed' },
  { mode: 'classic', category: 'MARGIN', symbol: 'ETHUSDT', size: '1', marginMode: 'isolated' },
  { mode: 'classic', category: 'USDT-FUTURES', symbol: 'BTCUSDT', size: '0.1' },
  { mode: 'classic', category: 'COIN-FUTURES', symbol: 'BTCUSD', size: '0.1' },
  { mode: 'classic', category: 'USDC-FUTURES', symbol: 'BTCPERP', size: '0.1' },
  { mode: 'unified', category: 'SPOT', symbol: 'ETHUSDT', size: '1' },
  { mode: 'unified', category: 'MARGIN', symbol: 'BTCUSDT', size: '1' },
  { mode: 'unified', category: 'USDT-FUTURES', symbol: 'ETHUSDT', size: '0.1' },
  { mode: 'unified', category: 'COIN-FUTURES', symbol: 'BTCUSD', size: '0.1' },
];

describe('place, query, cancel one order in every family', () => {
  for (const c of cases) {
    test(`${c.mode} ${c.category}${c.marginMode ? ' ' + c.marginMode : ''}`, async () => {
      const key = c.mode === 'classic' ? s.classic : s.unified;
      const cl = clientFor(s, key); // account mode probed
      const clientOid = `t-${c.mode[0]}-${c.category}-${c.marginMode ?? 'x'}`;
      const ack = await cl.placeOrder(c.category, { symbol: c.symbol, side: 'buy', orderType: 'limit', price: '100', size: c.size, clientOid, marginMode: c.marginMode });
      assert.match(ack.orderId, /^\d{19}$/);
      assert.equal(ack.clientOid, clientOid);

      const info = await cl.getOrder(c.category, { symbol: c.symbol, orderId: ack.orderId, marginMode: c.marginMode });
      assert.ok(info);
      assert.deepEqual(
        { orderId: info.orderId, clientOid: info.clientOid, category: info.category, symbol: info.symbol, side: info.side, orderType: info.orderType, price: info.price, size: info.size, filledSize: info.filledSize, status: info.status },
        { orderId: ack.orderId, clientOid, category: c.category, symbol: c.symbol, side: 'buy', orderType: 'limit', price: '100', size: c.size, filledSize: '0', status: 'live' },
      );
      if (c.marginMode) assert.equal(info.marginMode, c.marginMode);
      assert.match(info.cTime, /^\d{13}$/);

      const open = await cl.getOpenOrders(c.category, { symbol: c.symbol, marginMode: c.marginMode });
      assert.ok(open.some((o) => o.orderId === ack.orderId && o.status === 'live'));

      await s.og.engine.fill(ack.orderId, c.size === '1' ? '0.5' : '0.05');
      const part = await cl.getOrder(c.category, { symbol: c.symbol, clientOid, marginMode: c.marginMode });
      assert.equal(part?.status, 'partially_filled');
      assert.equal(part?.filledSize, c.size === '1' ? '0.5' : '0.05');

      const cancelled = await cl.cancelOrder(c.category, { symbol: c.symbol, clientOid, marginMode: c.marginMode });
      assert.equal(cancelled.orderId, ack.orderId);
      const after = await cl.getOrder(c.category, { symbol: c.symbol, orderId: ack.orderId, marginMode: c.marginMode });
      assert.equal(after?.status, 'cancelled');
      assert.match(after?.uTime ?? '', /^\d{13}$/);

      // cancelling again: the family's own Bitget code, as a typed error
      const again = { classic: { SPOT: '43001', MARGIN: '43001' }, unified: {} } as Record<string, Record<string, string>>;
      const want = again[c.mode][c.category] ?? (c.mode === 'unified' ? '45134' : '40769');
      await assert.rejects(cl.cancelOrder(c.category, { symbol: c.symbol, orderId: ack.orderId, marginMode: c.marginMode }), (e: unknown) => e instanceof BitgetApiError && e.code === want && e.httpStatus === 400);
      assert.equal(await cl.getOrder(c.category, { symbol: c.symbol, orderId: '1234567890123456789', marginMode: c.marginMode }), undefined);
    });
  }
});

describe('batches and paging', () => {
  test('placeOrders splits to the batch limit and merges per-item failures', async () => {
    const cl = clientFor(s, s.other, { accountMode: 'classic' });
    const reqs = Array.from({ length: 120 }, (_, i) => ({ symbol: 'BTCUSDT', side: 'buy' as const, orderType: 'limit' as const, price: i === 7 ? '100.001' : '100', size: '1', clientOid: `pb-${i}` }));
    const before = cl.transport.snapshot().requests;
    const r = await cl.placeOrders('SPOT', reqs);
    assert.equal(cl.transport.snapshot().requests - before, 3, '120 orders = 3 batches of <= 50');
    assert.equal(r.successList.length, 119);
    assert.deepEqual(r.failureList.map((f) => [f.clientOid, f.errorCode]), [['pb-7', '40808']]);

    const ul = clientFor(s, s.otherUnified, { accountMode: 'unified' });
    const ub = ul.transport.snapshot().requests;
    const ur = await ul.placeOrders('USDT-FUTURES', Array.from({ length: 45 }, () => ({ symbol: 'BTCUSDT', side: 'sell' as const, orderType: 'limit' as const, price: '90000', size: '0.1' })));
    assert.equal(ul.transport.snapshot().requests - ub, 3, '45 orders = 3 v3 batches of <= 20');
    assert.equal(ur.successList.length, 45);
  });

  test('getOpenOrders walks every page (spot, mix, margin, v3)', async () => {
    const cl = clientFor(s, s.other, { accountMode: 'classic' });
    const spot = await cl.getOpenOrders('SPOT');
    assert.equal(spot.length, 119);
    assert.equal(new Set(spot.map((o) => o.orderId)).size, 119);
    await seed(s, s.other, false, 'USDT-FUTURES', 'ETHUSDT', 230);
    assert.equal((await cl.getOpenOrders('USDT-FUTURES')).length, 230);
    await seed(s, s.other, false, 'MARGIN', 'ETHUSDT', 205, 'crossed');
    assert.equal((await cl.getOpenOrders('MARGIN', { symbol: 'ETHUSDT', marginMode: 'crossed' })).length, 205);
    assert.equal((await cl.getOpenOrders('MARGIN', { symbol: 'ETHUSDT', marginMode: 'isolated' })).length, 0);
    const ul = clientFor(s, s.otherUnified, { accountMode: 'unified' });
    await seed(s, s.otherUnified, true, 'SPOT', 'BTCUSDT', 150);
    assert.equal((await ul.getOpenOrders('SPOT')).length, 150);
    assert.equal((await ul.getOpenOrders('USDT-FUTURES', { symbol: 'BTCUSDT' })).length, 45);
  });
});
