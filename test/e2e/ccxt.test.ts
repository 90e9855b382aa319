/**
 * End to end: a real listening ordergate driven by the unmodified ccxt (bitget), with every
 * `urls.api` key pointed at it (notes/sdk.md §3.1): loadMarkets in classic and UTA mode, then
 * one order flow (place, fetch, batch cancel, list open, cancel all) per dialect: classic
 * futures (/api/v2/mix/order/*), classic spot (/api/v2/spot/trade/*) and UTA spot and
 * futures (/api/v3/trade/*). ccxt's client-side throttle is off (`enableRateLimit: false`,
 * a plain option) to keep the suite fast; ordergate's own limiter is off too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ccxt from 'ccxt';
import { createApp, type OrdergateApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createKey } from '../../src/accounts/keys.js';

type Creds = { apiKey: string; secretKey: string; passphrase: string };

const API_KEYS = ['spot', 'mix', 'user', 'p2p', 'broker', 'margin', 'common', 'tax', 'convert', 'copy', 'earn', 'uta'];

let og: OrdergateApp;
let baseUrl: string;
let classic: Creds;
let unified: Creds;
/** One client per mode, shared so each loads its markets once. */
let exClassic: InstanceType<typeof ccxt.bitget>;
let exUta: InstanceType<typeof ccxt.bitget>;

/** A ccxt bitget client on ordergate, in classic (`uta: false`) or UTA mode. */
function bitget(k: Creds, uta: boolean) {
  const api = Object.fromEntries(API_KEYS.map((key) => [key, baseUrl]));
  return new ccxt.bitget({ apiKey: k.apiKey, secret: k.secretKey, password: k.passphrase, urls: { api }, options: { uta }, enableRateLimit: false });
}

before(async () => {
  og = await createApp({ ...loadConfig({}), dbPath: ':memory:', port: 0, logLevel: 'silent', demoKeys: false, rateLimit: false });
  classic = await createKey(og.store.keys, og.master, { uid: '8880001', mode: 'classic', permission: 'trade', ips: [] });
  unified = await createKey(og.store.keys, og.master, { uid: '8880002', mode: 'unified', permission: 'trade', ips: [] });
  await og.keyring.refresh();
  baseUrl = await og.app.listen({ host: '127.0.0.1', port: 0 });
  exClassic = bitget(classic, false);
  exUta = bitget(unified, true);
});
after(async () => og?.close());

describe('ccxt loadMarkets', () => {
  for (const uta of [false, true]) {
    it(`succeeds in ${uta ? 'UTA' : 'classic'} mode with spot and swap markets at catalogue precision`, async () => {
      const ex = uta ? exUta : exClassic;
      const markets = await ex.loadMarkets();
      assert.deepEqual(Object.keys(markets).sort(), [
        'BTC/USD:BTC',
        'BTC/USDC:USDC',
        'BTC/USDT',
        'BTC/USDT:USDT',
        'ETH/USD:ETH',
        'ETH/USDT',
        'ETH/USDT:USDT',
        'SOL/USDT',
      ]);

      const market = (symbol: string) => {
        const m = markets[symbol];
        assert.ok(m, `no market ${symbol}`);
        return m;
      };
      const spot = market('BTC/USDT');
      assert.equal(spot.id, 'BTCUSDT');
      assert.equal(spot.type, 'spot');
      assert.equal(spot.active, true);
      assert.deepEqual(spot.precision, { amount: 0.000001, price: 0.01 });
      assert.equal(spot.limits.amount?.min, 0.000001);
      assert.equal(market('SOL/USDT').precision.price, 0.001);
      assert.equal(market('SOL/USDT').precision.amount, 0.001);
      if (!uta) {
        // classic mode reads /api/v2/margin/currencies: margin-enabled spot symbols only
        assert.equal(spot.margin, true);
        assert.equal(market('SOL/USDT').margin, false);
      }

      const swap = market('BTC/USDT:USDT');
      assert.equal(swap.id, 'BTCUSDT');
      assert.equal(swap.type, 'swap');
      assert.equal(swap.settle, 'USDT');
      assert.equal(swap.linear, true);
      assert.equal(swap.active, true);
      assert.deepEqual(swap.precision, { amount: 0.0001, price: 0.1 });
      assert.equal(swap.limits.amount?.min, 0.0001);
      assert.equal(swap.limits.leverage?.max, 125);

      const inverse = market('BTC/USD:BTC');
      assert.equal(inverse.inverse, true);
      assert.equal(inverse.settle, 'BTC');
      assert.equal(market('ETH/USDT:USDT').precision.price, 0.01);

      // fetchCurrencies (/api/v2/spot/public/coins) runs in both modes
      assert.deepEqual(Object.keys(ex.currencies).sort(), ['BTC', 'ETH', 'SOL', 'USDC', 'USDT']);
      assert.equal(ex.currencies.USDT?.active, true);
    });
  }

  it('fetchTime reads /api/v2/public/time', async () => {
    const t = await exClassic.fetchTime();
    assert.ok(typeof t === 'number' && Math.abs(t - Date.now()) < 5000, String(t));
  });
});

/** The id of an order ccxt returned (asserted present). */
function idOf(o: { id?: string }): string {
  assert.ok(o.id, `order without id: ${JSON.stringify(o)}`);
  return o.id;
}

/**
 * One order flow through ccxt's unified methods: three resting limit orders, fetchOrder,
 * cancelOrders of two, fetchOpenOrders, cancelAllOrders of the last one.
 */
async function orderFlow(ex: InstanceType<typeof ccxt.bitget>, symbol: string, amount: number, prices: [number, number, number]) {
  await ex.loadMarkets();
  const placedId = idOf(await ex.createOrder(symbol, 'limit', 'buy', amount, prices[0]));
  assert.match(placedId, /^\d+$/);

  const fetched = await ex.fetchOrder(placedId, symbol);
  assert.equal(fetched.id, placedId);
  assert.equal(fetched.symbol, symbol);
  assert.equal(fetched.status, 'open');
  assert.equal(fetched.side, 'buy');
  assert.equal(fetched.type, 'limit');
  assert.equal(fetched.price, prices[0]);
  assert.equal(fetched.amount, amount);
  assert.equal(fetched.filled, 0);

  const aId = idOf(await ex.createOrder(symbol, 'limit', 'buy', amount * 2, prices[1]));
  const clientOid = `ccxt-e2e-${Date.now()}`;
  const bId = idOf(await ex.createOrder(symbol, 'limit', 'sell', amount * 3, prices[2], { clientOrderId: clientOid }));
  assert.equal((await ex.fetchOrder(bId, symbol)).clientOrderId, clientOid);

  const cancelled = await ex.cancelOrders([placedId, aId], symbol);
  assert.deepEqual(
    cancelled.map((o) => o.id),
    [placedId, aId],
  );
  assert.equal((await ex.fetchOrder(placedId, symbol)).status, 'canceled');
  assert.equal((await ex.fetchOrder(aId, symbol)).status, 'canceled');

  const open = await ex.fetchOpenOrders(symbol);
  assert.deepEqual(
    open.map((o) => o.id),
    [bId],
  );

  const all = (await ex.cancelAllOrders(symbol)) as Array<{ id?: string }>;
  /** Checks that cancelAllOrders left nothing open. */
  const after = async () => {
    assert.equal((await ex.fetchOrder(bId, symbol)).status, 'canceled');
    assert.deepEqual(await ex.fetchOpenOrders(symbol), []);
  };
  return { all, bId, after };
}

describe('ccxt classic futures order flow (/api/v2/mix/order/*)', () => {
  const SYMBOL = 'BTC/USDT:USDT';

  it('createOrder, fetchOrder, cancelOrders, fetchOpenOrders, cancelAllOrders', async () => {
    const flow = await orderFlow(exClassic, SYMBOL, 0.01, [50000, 49000.5, 60000]);
    // ccxt sends batch-cancel-orders without orderIdList: every open order of the symbol
    assert.deepEqual(
      flow.all.map((o) => o.id),
      [flow.bId],
    );
    await flow.after();
  });

  it('Bitget errors surface as the matching ccxt exceptions', async () => {
    const ex = exClassic;
    await ex.loadMarkets();
    await assert.rejects(ex.fetchOrder('1234567890123456789', SYMBOL), (e: unknown) => e instanceof ccxt.OrderNotFound);
    // price off the 0.1 tick: ordergate answers 40808, a plain ExchangeError for ccxt
    await assert.rejects(ex.createOrder(SYMBOL, 'limit', 'buy', 0.01, 50000.05, { price: '50000.05' }), (e: unknown) => {
      return e instanceof ccxt.ExchangeError && /40808/.test(String((e as Error).message));
    });
    const wrong = bitget({ ...classic, passphrase: 'wrong' }, false);
    wrong.setMarkets(ex.markets);
    await assert.rejects(wrong.fetchOpenOrders(SYMBOL), (e: unknown) => e instanceof ccxt.AuthenticationError);
  });
});

describe('ccxt classic spot order flow (/api/v2/spot/trade/*)', () => {
  it('createOrder, fetchOrder, cancelOrders, fetchOpenOrders, cancelAllOrders', async () => {
    const flow = await orderFlow(exClassic, 'BTC/USDT', 0.001, [50000, 49000.01, 60000]);
    // cancel-symbol-order answers {symbol} only: ccxt synthesizes one order without an id
    assert.equal(flow.all.length, 1);
    await flow.after();
  });
});

describe('ccxt UTA order flow (/api/v3/trade/*)', () => {
  for (const symbol of ['BTC/USDT', 'BTC/USDT:USDT']) {
    it(`${symbol}: createOrder, fetchOrder, cancelOrders, fetchOpenOrders, cancelAllOrders`, async () => {
      const flow = await orderFlow(exUta, symbol, 0.01, [50000, 49000.5, 60000]);
      assert.deepEqual(
        flow.all.map((o) => o.id),
        [flow.bId],
      );
      await flow.after();
    });
  }

  it('a classic key used in UTA mode is refused with 40084 (classic account, UTA API)', async () => {
    const ex = bitget(classic, true);
    ex.setMarkets(exUta.markets);
    await assert.rejects(ex.fetchOpenOrders('BTC/USDT'), (e: unknown) => e instanceof ccxt.ExchangeError && /40084/.test(String((e as Error).message)));
  });
});
