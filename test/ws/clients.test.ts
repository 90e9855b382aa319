/**
 * The real clients, unchanged, against a listening ordergate: the bitget-api SDK's
 * WebsocketClientV2 / WebsocketClientV3 (`wsUrl`) and ccxt pro's `watchOrders` in classic (v2)
 * and unified (v3, `options.uta`) mode, with `urls.api.ws` pointed at ordergate after
 * `loadHttpProxyAgent()` (ccxt refuses ws:// URLs before it). Order pushes come from the
 * test-only bus.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebsocketClientV2, WebsocketClientV3 } from 'bitget-api';
import ccxt from 'ccxt';
import type { Order } from '../../src/domain/types.js';
import type { TestKey } from '../helpers.js';
import { order, startWsServer, until, type WsTestServer } from './helpers.js';

const REST_KEYS = ['spot', 'mix', 'user', 'p2p', 'broker', 'margin', 'common', 'tax', 'convert', 'copy', 'earn', 'uta'];
const silent = { trace: () => undefined, info: () => undefined, error: () => undefined };

describe('real WebSocket clients', { timeout: 120_000 }, () => {
  let s: WsTestServer;
  const closers: Array<() => unknown> = [];

  before(async () => {
    s = await startWsServer();
  });
  after(async () => {
    for (const c of closers) {
      try {
        await c();
      } catch {
        /* already closed */
      }
    }
    await s?.close();
  });

  /** Publishes orders of `make` every 100 ms until `done()` (the subscription's timing is the client's). */
  const pump = async (make: () => Order, done: () => boolean, published: Set<string>) => {
    for (let i = 0; i < 100 && !done(); i++) {
      const o = make();
      published.add(o.orderId);
      s.bus.publish({ kind: 'order.updated', change: 'cancel', order: o });
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('bitget-api WebsocketClientV2 (wsUrl) logs in, gets the orders ack and an order push', async () => {
    const ws = new WebsocketClientV2(
      { apiKey: s.classic.apiKey, apiSecret: s.classic.secretKey, apiPass: s.classic.passphrase, wsUrl: `${s.wsBase}/v2/ws/private` },
      silent,
    );
    closers.push(() => ws.closeAll(true));
    const responses: any[] = [];
    const updates: any[] = [];
    let authenticated = false;
    ws.on('authenticated', () => (authenticated = true));
    ws.on('response', (e: any) => responses.push(e));
    ws.on('update', (e: any) => updates.push(e));
    ws.subscribeTopic('SPOT', 'orders');
    await until(() => responses.some((r) => r.event === 'subscribe'), 15_000);
    assert.ok(authenticated);
    assert.deepEqual(
      responses.find((r) => r.event === 'subscribe').arg,
      { channel: 'orders', instType: 'SPOT', instId: 'default' },
    );
    const o = order({ uid: s.classic.uid, status: 'cancelled', cancelReason: 'normal_cancel' });
    s.bus.publish({ kind: 'order.updated', change: 'cancel', order: o });
    await until(() => updates.length > 0, 15_000);
    assert.equal(updates[0].arg.channel, 'orders');
    assert.equal(updates[0].data[0].orderId, o.orderId);
    assert.equal(updates[0].data[0].status, 'cancelled');
  });

  it('bitget-api WebsocketClientV3 (wsUrl) logs in, gets the order ack and an order push', async () => {
    const ws = new WebsocketClientV3(
      { apiKey: s.unified.apiKey, apiSecret: s.unified.secretKey, apiPass: s.unified.passphrase, wsUrl: `${s.wsBase}/v3/ws/private` },
      silent,
    );
    closers.push(() => ws.closeAll(true));
    const responses: any[] = [];
    const updates: any[] = [];
    ws.on('response', (e: any) => responses.push(e));
    ws.on('update', (e: any) => updates.push(e));
    ws.subscribe({ topic: 'order', payload: { instType: 'UTA' } }, 'v3Private');
    await until(() => responses.some((r) => r.event === 'subscribe'), 15_000);
    assert.deepEqual(responses.find((r) => r.event === 'subscribe').arg, { topic: 'order', instType: 'UTA' });
    const o = order({ uid: s.unified.uid, category: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT' });
    s.bus.publish({ kind: 'order.created', order: o });
    await until(() => updates.length > 0, 15_000);
    assert.equal(updates[0].arg.topic, 'order');
    assert.equal(updates[0].data[0].orderId, o.orderId);
    assert.equal(updates[0].data[0].orderStatus, 'live');
  });

  const proClient = (k: TestKey, uta: boolean) => {
    const rest = Object.fromEntries(REST_KEYS.map((key) => [key, s.baseUrl]));
    const ws = {
      public: `${s.wsBase}/v2/ws/public`,
      private: `${s.wsBase}/v2/ws/private`,
      utaPublic: `${s.wsBase}/v3/ws/public`,
      utaPrivate: `${s.wsBase}/v3/ws/private`,
    };
    return new ccxt.pro.bitget({
      apiKey: k.apiKey,
      secret: k.secretKey,
      password: k.passphrase,
      urls: { api: { ...rest, ws } },
      options: { uta },
      enableRateLimit: false,
    });
  };

  for (const uta of [false, true]) {
    it(`ccxt pro watchOrders resolves with a pushed futures order (${uta ? 'unified, v3 order' : 'classic, v2 orders'})`, async () => {
      const k = uta ? s.unified : s.classic;
      const ex = proClient(k, uta);
      closers.push(() => ex.close());
      await ex.loadHttpProxyAgent(); // ccxt refuses ws:// URLs until this ran
      await ex.loadMarkets();
      const published = new Set<string>();
      let settled = false;
      const watching = ex.watchOrders('BTC/USDT:USDT').finally(() => (settled = true));
      await pump(
        () =>
          order({
            uid: k.uid,
            category: 'USDT-FUTURES',
            marginMode: 'crossed',
            marginCoin: 'USDT',
            clientOid: 'ccxt-1',
            status: 'cancelled',
            cancelReason: 'normal_cancel',
          }),
        () => settled,
        published,
      );
      const orders = await watching;
      assert.ok(orders.length >= 1);
      const got = orders[0];
      assert.ok(published.has(String(got.id)), `unexpected order ${got.id}`);
      assert.equal(got.symbol, 'BTC/USDT:USDT');
      assert.equal(got.clientOrderId, 'ccxt-1');
      assert.equal(got.status, 'canceled');
      assert.equal(got.amount, 0.01);
      assert.equal(got.price, 30000);
      assert.equal(got.side, 'buy');
    });
  }
});
