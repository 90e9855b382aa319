/**
 * End to end: a real listening ordergate driven by the unmodified `bitget-api` SDK, placing
 * and batch-cancelling in every family (the demo scenario), plus the SDK's view of errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RestClientV2, RestClientV3 } from 'bitget-api';
import { createApp, type OrdergateApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createKey } from '../../src/accounts/keys.js';
import { runDemo, type DemoResult } from '../../scripts/demo.js';

describe('bitget-api SDK against a real ordergate server', () => {
  let og: OrdergateApp;
  let baseUrl: string;
  let classic: { apiKey: string; secretKey: string; passphrase: string };
  let unified: { apiKey: string; secretKey: string; passphrase: string };
  let demo: DemoResult;

  before(async () => {
    og = await createApp({ ...loadConfig({}), dbPath: ':memory:', port: 0, logLevel: 'silent', demoKeys: false, rateLimit: true });
    classic = await createKey(og.store.keys, og.master, { uid: '7770001', mode: 'classic', permission: 'trade', ips: [] });
    unified = await createKey(og.store.keys, og.master, { uid: '7770002', mode: 'unified', permission: 'trade', ips: [] });
    await og.keyring.refresh();
    baseUrl = await og.app.listen({ host: '127.0.0.1', port: 0 });
    demo = await runDemo(baseUrl, classic, unified, async (orderId, size) => {
      await og.engine.fill(orderId, size);
    });
  });
  after(async () => og?.close());

  const row = (family: string, stepPrefix: string) => {
    const r = demo.rows.find((x) => x.family === family && x.step.startsWith(stepPrefix));
    assert.ok(r, `no demo row ${family} / ${stepPrefix}`);
    return r;
  };

  it('places about 200 orders in every family', () => {
    assert.ok(demo.placed >= 200, `placed ${demo.placed}`);
    for (const r of demo.rows.filter((x) => x.step.includes('place') || x.step.includes('orders'))) {
      if (r.step.startsWith('batch-orders') || r.step.startsWith('batch-place') || r.step === 'place-batch') assert.equal(r.failed, 0, JSON.stringify(r));
    }
  });

  it('spot batch-cancel by orderId and by clientOid, unknown id fails with 43001', () => {
    const byId = row('spot', 'batch-cancel by orderId');
    assert.equal(byId.ok, 20);
    assert.deepEqual(byId.reasons, { '43001 The order does not exist': 1 });
    assert.equal(row('spot', 'batch-cancel by clientOid').ok, 20);
    assert.equal(row('spot', 'cancel-symbol-order SOLUSDT').ok, 20);
  });

  it('futures batch-cancel by id, by clientOid, whole symbol, cancel-all; a filled order fails with 40769', () => {
    const byId = row('usdt-futures', 'batch-cancel-orders by orderId');
    assert.equal(byId.ok, 19);
    assert.deepEqual(byId.reasons, { '40769 Reject order has been completed': 1 });
    assert.equal(row('usdt-futures', 'batch-cancel-orders by clientOid').ok, 10);
    assert.equal(row('coin-futures', 'cancel-all-orders').ok, 15);
    assert.equal(row('usdc-futures', 'batch-cancel-orders (no list').ok, 15);
  });

  it('cross and isolated margin batch-cancel via the generic signed POST; a repeat fails with 43001', () => {
    for (const mt of ['crossed', 'isolated']) {
      const r = row(`margin ${mt}`, 'batch-cancel-order');
      assert.equal(r.ok, 20);
      assert.deepEqual(r.reasons, { '43001 The order does not exist': 1 });
    }
  });

  it('unified cancel-batch with per-item codes; wrong symbol is not found (25204); cancel-symbol-order clears the rest', () => {
    assert.equal(row('uta SPOT', 'cancel-batch').ok, 20);
    const wrong = row('uta USDT-FUTURES', 'cancel-batch wrong symbol');
    assert.equal(wrong.ok, 0);
    assert.deepEqual(wrong.reasons, { '25204 Order does not exist': 3 });
    assert.equal(row('uta USDT-FUTURES', 'cancel-symbol-order').ok, 20);
  });

  it('partially filled orders are cancelled with their filled part kept', () => {
    assert.equal(demo.partiallyFilled.length, 3);
    for (const p of demo.partiallyFilled) {
      assert.match(p.status, /^cancell?ed$/, JSON.stringify(p));
      assert.notEqual(Number(p.filledSize), 0, JSON.stringify(p));
    }
  });

  it('leaves no open order anywhere', () => {
    for (const [family, n] of Object.entries(demo.leftOpen)) assert.equal(n, 0, family);
  });

  it('SDK sees Bitget errors as thrown objects with the Bitget code', async () => {
    const v2 = new RestClientV2({ apiKey: classic.apiKey, apiSecret: classic.secretKey, apiPass: classic.passphrase, baseUrl });
    await assert.rejects(v2.spotCancelOrder({ symbol: 'BTCUSDT', orderId: '1000000000000000009' }), (e: { code: number; body: { code: string; msg: string; data: null } }) => {
      assert.equal(e.code, 400);
      assert.equal(e.body.code, '43001');
      assert.equal(e.body.data, null);
      return true;
    });
    const wrongPass = new RestClientV2({ apiKey: classic.apiKey, apiSecret: classic.secretKey, apiPass: 'wrong-pass', baseUrl });
    await assert.rejects(wrongPass.getFuturesOpenOrders({ productType: 'USDT-FUTURES' }), (e: { body: { code: string } }) => e.body.code === '40012');
    const v3WithClassic = new RestClientV3({ apiKey: classic.apiKey, apiSecret: classic.secretKey, apiPass: classic.passphrase, baseUrl });
    await assert.rejects(v3WithClassic.getAccountSettings(), (e: { body: { code: string } }) => e.body.code === '40084');
    const v3 = new RestClientV3({ apiKey: unified.apiKey, apiSecret: unified.secretKey, apiPass: unified.passphrase, baseUrl });
    const settings = await v3.getAccountSettings();
    assert.equal(settings.code, '00000');
  });

  it('a POST with no params (empty body, application/json) is accepted and signed over ""', async () => {
    const v2 = new RestClientV2({ apiKey: classic.apiKey, apiSecret: classic.secretKey, apiPass: classic.passphrase, baseUrl });
    await assert.rejects(v2.postPrivate('/api/v2/mix/order/cancel-all-orders'), (e: { body: { code: string; msg: string } }) => {
      assert.equal(e.body.code, '40019');
      assert.match(e.body.msg, /productType/);
      return true;
    });
  });
});
