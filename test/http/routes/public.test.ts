/**
 * Public market endpoints over Fastify inject: shapes and field types (what ccxt's loadMarkets
 * reads), filters, and bad query values rendered as Bitget error envelopes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, startTestServer, type TestServer } from '../../helpers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(async () => s?.close());

const get = (path: string, headers?: Record<string, string | undefined>) => call(s, undefined, 'GET', path, undefined, { headers });

/** Asserts a success envelope and returns its data. */
async function data(path: string): Promise<any> {
  const r = await get(path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.code, '00000');
  assert.equal(r.body.msg, 'success');
  assert.equal(typeof r.body.requestTime, 'number');
  return r.body.data;
}

/** Asserts an error envelope (HTTP 4xx, never 5xx). */
async function fails(path: string, code: string, msg: string, status = 400): Promise<void> {
  const r = await get(path);
  assert.equal(r.status, status, `${path}: ${JSON.stringify(r.body)}`);
  assert.deepEqual({ code: r.body.code, msg: r.body.msg, data: r.body.data }, { code, msg, data: null });
  assert.equal(typeof r.body.requestTime, 'number');
}

const DEC = /^\d+(\.\d+)?$/;
const INT = /^\d+$/;

function allStrings(row: Record<string, unknown>, except: string[] = []): void {
  for (const [k, v] of Object.entries(row)) {
    if (except.includes(k)) continue;
    assert.equal(typeof v, 'string', `${k} should be a string, got ${JSON.stringify(v)}`);
  }
}

describe('server time', () => {
  for (const path of ['/api/v2/public/time', '/api/v3/public/time']) {
    it(`${path} returns serverTime as a ms string close to now`, async () => {
      const before = Date.now();
      const d = await data(path);
      assert.deepEqual(Object.keys(d), ['serverTime']);
      assert.match(d.serverTime, INT);
      const t = Number(d.serverTime);
      assert.ok(t >= before && t <= Date.now(), `${t} not in [${before}, now]`);
    });
  }

  it('accepts a signed request on a public endpoint (bitget-api signs some market calls)', async () => {
    const r = await call(s, s.classic, 'GET', '/api/v2/public/time');
    assert.equal(r.body.code, '00000');
    // and a garbage signature is not checked either: public means no auth
    const g = await get('/api/v2/public/time', { 'access-key': 'nope', 'access-sign': 'x', 'access-timestamp': '1', 'access-passphrase': 'p' });
    assert.equal(g.body.code, '00000');
  });
});

describe('GET /api/v2/spot/public/symbols', () => {
  it('lists every spot symbol, online, with precision from tickSize / sizeStep', async () => {
    const d = await data('/api/v2/spot/public/symbols');
    assert.deepEqual(
      d.map((r: any) => r.symbol),
      ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
    );
    for (const r of d) {
      allStrings(r);
      assert.equal(r.status, 'online');
      assert.equal('symbolType' in r, false, 'spot rows must not carry symbolType (ccxt would parse a contract)');
      for (const k of ['minTradeAmount', 'maxTradeAmount', 'takerFeeRate', 'makerFeeRate', 'minTradeUSDT']) assert.match(r[k], DEC, k);
      for (const k of ['pricePrecision', 'quantityPrecision', 'quotePrecision']) assert.match(r[k], INT, k);
    }
    const btc = d[0];
    assert.deepEqual(
      { baseCoin: btc.baseCoin, quoteCoin: btc.quoteCoin, pricePrecision: btc.pricePrecision, quantityPrecision: btc.quantityPrecision, minTradeUSDT: btc.minTradeUSDT },
      { baseCoin: 'BTC', quoteCoin: 'USDT', pricePrecision: '2', quantityPrecision: '6', minTradeUSDT: '1' },
    );
    assert.equal(d[2].pricePrecision, '3'); // SOLUSDT tick 0.001
  });

  it('filters by symbol (any case); an unknown symbol is 40034', async () => {
    const d = await data('/api/v2/spot/public/symbols?symbol=ethusdt');
    assert.deepEqual(
      d.map((r: any) => r.symbol),
      ['ETHUSDT'],
    );
    assert.equal((await data('/api/v2/spot/public/symbols?symbol=')).length, 3);
    await fails('/api/v2/spot/public/symbols?symbol=DOGEUSDT', '40034', 'Parameter DOGEUSDT does not exist');
    await fails('/api/v2/spot/public/symbols?symbol=BTCUSDT&symbol=ETHUSDT', '40020', 'Parameter symbol error');
    await fails(`/api/v2/spot/public/symbols?symbol=${'X'.repeat(41)}`, '40020', 'Parameter symbol error');
  });
});

describe('GET /api/v2/spot/public/coins', () => {
  it('lists asset coins, each with a named chain and string flags', async () => {
    const d = await data('/api/v2/spot/public/coins');
    assert.deepEqual(
      d.map((r: any) => r.coin),
      ['BTC', 'ETH', 'SOL', 'USDC', 'USDT'],
    );
    for (const r of d) {
      assert.match(r.coinId, INT);
      assert.equal(r.transfer, 'true');
      assert.ok(Array.isArray(r.chains) && r.chains.length >= 1);
      for (const c of r.chains) {
        allStrings(c);
        assert.ok(c.chain.length > 0, 'chain name must be set (ccxt throws otherwise)');
        assert.ok(['true', 'false'].includes(c.withdrawable) && ['true', 'false'].includes(c.rechargeable));
        assert.match(c.withdrawMinScale, INT);
      }
    }
    assert.equal(new Set(d.map((r: any) => r.coinId)).size, d.length);
  });

  it('filters by coin (any case); an unknown coin is 40034', async () => {
    const d = await data('/api/v2/spot/public/coins?coin=usdt');
    assert.equal(d.length, 1);
    assert.equal(d[0].coin, 'USDT');
    assert.equal(d[0].chains[0].chain, 'ERC20');
    await fails('/api/v2/spot/public/coins?coin=USD', '40034', 'Parameter USD does not exist');
  });
});

describe('GET /api/v2/margin/currencies', () => {
  it('lists margin-enabled spot symbols with real JSON booleans for the borrow flags', async () => {
    const d = await data('/api/v2/margin/currencies');
    assert.deepEqual(
      d.map((r: any) => r.symbol),
      ['BTCUSDT', 'ETHUSDT'],
    );
    for (const r of d) {
      for (const k of ['isBorrowable', 'isCrossBorrowable', 'isIsolatedBaseBorrowable', 'isIsolatedQuoteBorrowable']) {
        assert.equal(r[k], true, k);
      }
      allStrings(r, ['isBorrowable', 'isCrossBorrowable', 'isIsolatedBaseBorrowable', 'isIsolatedQuoteBorrowable']);
      assert.equal(r.status, '1');
    }
    assert.deepEqual([d[0].pricePrecision, d[0].quantityPrecision, d[0].baseCoin, d[0].quoteCoin], ['2', '6', 'BTC', 'USDT']);
  });
});

describe('GET /api/v2/mix/market/contracts', () => {
  it('lists perpetual contracts with the fields ccxt needs', async () => {
    const d = await data('/api/v2/mix/market/contracts?productType=USDT-FUTURES');
    assert.deepEqual(
      d.map((r: any) => r.symbol),
      ['BTCUSDT', 'ETHUSDT'],
    );
    for (const r of d) {
      allStrings(r, ['supportMarginCoins']);
      assert.deepEqual(r.supportMarginCoins, ['USDT']);
      assert.equal(r.symbolType, 'perpetual');
      assert.equal(r.symbolStatus, 'normal');
      for (const k of ['minTradeNum', 'sizeMultiplier', 'priceEndStep', 'makerFeeRate', 'takerFeeRate', 'minTradeUSDT']) assert.match(r[k], DEC, k);
      for (const k of ['pricePlace', 'volumePlace', 'minLever', 'maxLever']) assert.match(r[k], INT, k);
    }
    const btc = d[0];
    assert.deepEqual(
      [btc.pricePlace, btc.priceEndStep, btc.volumePlace, btc.sizeMultiplier, btc.minTradeNum, btc.minTradeUSDT],
      ['1', '1', '4', '0.0001', '0.0001', '5'],
    );
  });

  it('maps each productType (any case) to its own list; coin-margined contracts settle in the base coin', async () => {
    const coin = await data('/api/v2/mix/market/contracts?productType=coin-futures');
    assert.deepEqual(
      coin.map((r: any) => [r.symbol, r.quoteCoin, r.supportMarginCoins]),
      [
        ['BTCUSD', 'USD', ['BTC']],
        ['ETHUSD', 'USD', ['ETH']],
      ],
    );
    const usdc = await data('/api/v2/mix/market/contracts?productType=Usdc-Futures');
    assert.deepEqual(
      usdc.map((r: any) => r.symbol),
      ['BTCPERP'],
    );
  });

  it('accepts the demo S-productTypes ccxt always asks for, answering the same list', async () => {
    for (const [demo, live] of [
      ['SUSDT-FUTURES', 'USDT-FUTURES'],
      ['SCOIN-FUTURES', 'COIN-FUTURES'],
      ['susdc-futures', 'USDC-FUTURES'],
    ]) {
      assert.deepEqual(await data(`/api/v2/mix/market/contracts?productType=${demo}`), await data(`/api/v2/mix/market/contracts?productType=${live}`));
    }
  });

  it('filters by symbol; bad or missing productType and unknown symbols are Bitget errors', async () => {
    const d = await data('/api/v2/mix/market/contracts?productType=USDT-FUTURES&symbol=ethusdt');
    assert.deepEqual(
      d.map((r: any) => r.symbol),
      ['ETHUSDT'],
    );
    await fails('/api/v2/mix/market/contracts', '40019', 'Parameter productType cannot be empty');
    await fails('/api/v2/mix/market/contracts?productType=', '40019', 'Parameter productType cannot be empty');
    await fails('/api/v2/mix/market/contracts?productType=umcbl', '40020', 'Parameter productType error');
    await fails('/api/v2/mix/market/contracts?productType=COIN-FUTURES&symbol=BTCUSDT', '40034', 'Parameter BTCUSDT does not exist');
  });
});

describe('GET /api/v3/market/instruments', () => {
  it('SPOT rows: category on every row, precision counts, no futures type', async () => {
    const d = await data('/api/v3/market/instruments?category=SPOT');
    assert.deepEqual(
      d.map((r: any) => r.symbol),
      ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
    );
    for (const r of d) {
      allStrings(r);
      assert.equal(r.category, 'SPOT');
      assert.equal(r.status, 'online');
      assert.equal('type' in r, false);
    }
    assert.deepEqual([d[0].pricePrecision, d[0].quantityPrecision, d[0].minOrderQty, d[0].minOrderAmount], ['2', '6', '0.000001', '1']);
  });

  it('futures rows are perpetual with multipliers and leverage bounds', async () => {
    for (const [category, symbols] of [
      ['USDT-FUTURES', ['BTCUSDT', 'ETHUSDT']],
      ['COIN-FUTURES', ['BTCUSD', 'ETHUSD']],
      ['USDC-FUTURES', ['BTCPERP']],
    ] as const) {
      const d = await data(`/api/v3/market/instruments?category=${category.toLowerCase()}`);
      assert.deepEqual(
        d.map((r: any) => r.symbol),
        symbols,
      );
      for (const r of d) {
        allStrings(r);
        assert.equal(r.category, category);
        assert.equal(r.type, 'perpetual');
        assert.match(r.pricePrecision, INT);
        assert.match(r.priceMultiplier, DEC);
        assert.match(r.quantityMultiplier, DEC);
        assert.equal(r.minLeverage, '1');
        assert.equal(r.maxLeverage, '125');
      }
    }
    const [btc] = await data('/api/v3/market/instruments?category=USDT-FUTURES&symbol=BTCUSDT');
    assert.deepEqual([btc.pricePrecision, btc.quantityPrecision, btc.priceMultiplier, btc.quantityMultiplier], ['1', '4', '0.1', '0.0001']);
  });

  it('MARGIN rows carry the margin flags as YES/NO strings', async () => {
    const d = await data('/api/v3/market/instruments?category=MARGIN');
    assert.deepEqual(
      d.map((r: any) => [r.symbol, r.category, r.isIsolatedBaseBorrowable, r.isIsolatedQuotedBorrowable]),
      [
        ['BTCUSDT', 'MARGIN', 'YES', 'YES'],
        ['ETHUSDT', 'MARGIN', 'YES', 'YES'],
      ],
    );
    assert.notEqual(d[0].maxCrossedLeverage, '0');
  });

  it('bad or missing category and unknown symbols are Bitget errors', async () => {
    await fails('/api/v3/market/instruments', '40019', 'Parameter category cannot be empty');
    await fails('/api/v3/market/instruments?category=FUTURES', '40020', 'Parameter category error');
    await fails('/api/v3/market/instruments?category=SPOT&symbol=BTCPERP', '25100', 'Trading pair BTCPERP does not exist');
  });
});

describe('routing', () => {
  it('an unknown path is HTTP 404 with 40404', async () => {
    await fails('/api/v2/spot/public/nothing-here', '40404', 'Request URL NOT FOUND', 404);
    await fails('/api/v2/mix/market/contract', '40404', 'Request URL NOT FOUND', 404);
  });

  it('public endpoints are GET only', async () => {
    const r = await call(s, undefined, 'POST', '/api/v2/spot/public/symbols', {});
    assert.equal(r.status, 404);
    assert.equal(r.body.code, '40404');
  });

  it('rate limits public endpoints per IP with Bitget numbers (coins: 3/s)', async () => {
    const limited = await startTestServer({ rateLimit: true });
    try {
      const codes: string[] = [];
      for (let i = 0; i < 4; i++) codes.push((await call(limited, undefined, 'GET', '/api/v2/spot/public/coins')).body.code);
      assert.deepEqual(codes, ['00000', '00000', '00000', '429']);
      const r = await call(limited, undefined, 'GET', '/api/v2/spot/public/coins');
      assert.equal(r.status, 429);
      // another endpoint has its own bucket
      assert.equal((await call(limited, undefined, 'GET', '/api/v2/spot/public/symbols')).body.code, '00000');
    } finally {
      await limited.close();
    }
  });
});
