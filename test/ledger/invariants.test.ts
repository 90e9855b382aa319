/**
 * Ledger invariants (issue 10 item 2), property-tested with fast-check: after any interleaving
 * of deposits, withdrawals, placements (holds), partial and full fills between two UIDs' orders,
 * and cancels (releases), over 3 UIDs, spot BTCUSDT (BTC, USDT), USDT-M BTCUSDT futures
 * and COIN-M BTCUSD inverse futures (one-way UIDs u1 crossed / u2 isolated, hedge UID u3):
 * 1. for every UID, account and coin: frozen == the sum of the holds of its open orders;
 * 2. available and frozen are never negative; positions have size > 0 and margin >= 0;
 * 3. money is neither created nor lost: per coin, deposits - withdrawals + realised PnL
 *    - fees == sum of available + frozen + position margins (all computed from the model's own
 *    counters, not from the entries);
 * 4. a refused placement or withdrawal answers the account's Bitget code and changes nothing.
 * Size: 300 runs x up to 80 operations (fixed seed), each checked after every operation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { add, cmp, isZero, min, mul, round, sub, sum } from '../../src/domain/decimal.js';
import { BitgetError } from '../../src/domain/errors.js';
import { loadCatalogue } from '../../src/markets/catalogue.js';
import { applyEntries, balanceOf, depositEntries, withdrawEntries, type Balance } from '../../src/ledger/balances.js';
import { holdEntries, holdFor, releaseEntries } from '../../src/ledger/holds.js';
import { positionKey, type Position, type PosMode } from '../../src/ledger/positions.js';
import { applyPositions, settleFuturesFill, settleSpotFill } from '../../src/ledger/settle.js';
import type { MarginMode, Side } from '../../src/domain/types.js';

const cat = loadCatalogue();
const SPOT = cat.get('SPOT', 'BTCUSDT')!;
/** the two futures markets: linear USDT-M (margin USDT) and inverse COIN-M (margin BTC) */
const FUTS = {
  fut: { market: cat.get('USDT-FUTURES', 'BTCUSDT')!, account: 'futures:USDT-FUTURES:USDT', coin: 'USDT', productType: 'USDT-FUTURES' },
  inv: { market: cat.get('COIN-FUTURES', 'BTCUSD')!, account: 'futures:COIN-FUTURES:BTC', coin: 'BTC', productType: 'COIN-FUTURES' },
} as const;
const UIDS = ['u1', 'u2', 'u3'] as const;
const POS_MODE: Record<string, PosMode> = { u1: 'one_way_mode', u2: 'one_way_mode', u3: 'hedge_mode' };
const MARGIN_MODE: Record<string, MarginMode> = { u1: 'crossed', u2: 'isolated', u3: 'crossed' };

interface ModelOrder {
  id: string;
  uid: string;
  kind: Kind;
  side: Side;
  price: string;
  size: string;
  filled: string;
  held: string;
  holdCoin: string;
  account: string;
  leverage: string;
  tradeSide?: 'open' | 'close';
}

type Kind = 'spot' | 'fut' | 'inv';

type Op =
  | { t: 'deposit'; uid: number; fut: boolean; coin: 'USDT' | 'BTC'; amount: number }
  | { t: 'withdraw'; uid: number; coin: 'USDT' | 'BTC'; amount: number }
  | { t: 'place'; uid: number; kind: Kind; side: Side; price: number; size: number; lev: number; close: boolean }
  | { t: 'fill'; a: number; b: number; frac: number }
  | { t: 'cancel'; i: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('deposit' as const), uid: fc.nat(2), fut: fc.boolean(), coin: fc.constantFrom('USDT' as const, 'BTC' as const), amount: fc.integer({ min: 1, max: 5000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('withdraw' as const), uid: fc.nat(2), coin: fc.constantFrom('USDT' as const, 'BTC' as const), amount: fc.integer({ min: 1, max: 3000 }) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('place' as const), uid: fc.nat(2), kind: fc.constantFrom<Kind>('spot', 'fut', 'inv'), side: fc.constantFrom('buy' as const, 'sell' as const), price: fc.integer({ min: 60, max: 140 }), size: fc.integer({ min: 1, max: 300 }), lev: fc.integer({ min: 1, max: 20 }), close: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('fill' as const), a: fc.nat(50), b: fc.nat(50), frac: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('cancel' as const), i: fc.nat(50) }) },
);

class Model {
  book = new Map<string, Balance>();
  positions = new Map<string, Position>();
  orders: ModelOrder[] = [];
  next = 0;
  /** per coin: deposits - withdrawals, fees paid, realised PnL (from the settle results) */
  net = new Map<string, string>([['USDT', '0'], ['BTC', '0']]);
  fees = new Map<string, string>([['USDT', '0'], ['BTC', '0']]);
  pnl = new Map<string, string>([['USDT', '0'], ['BTC', '0']]);
  ops = 0;
  fills = 0;
  /** coverage counters: what the random runs actually exercised */
  stats = { spotFills: 0, futFills: 0, invFills: 0, shortfalls: 0, closes: 0, flips: 0, refused: 0, releases: 0 };

  bump(m: Map<string, string>, coin: string, v: string) {
    m.set(coin, add(m.get(coin) ?? '0', v));
  }

  run(op: Op) {
    this.ops++;
    if (op.t === 'deposit') {
      const uid = UIDS[op.uid];
      // futures: USDT to the USDT-M account, BTC to the COIN-M BTC account
      const amount = op.coin === 'BTC' ? String(op.amount / 1000) : String(op.amount);
      const account = !op.fut ? ({ type: 'spot' } as const) : op.coin === 'USDT' ? ({ type: 'futures', productType: 'USDT-FUTURES', marginCoin: 'USDT' } as const) : ({ type: 'futures', productType: 'COIN-FUTURES', marginCoin: 'BTC' } as const);
      this.book = applyEntries(this.book, depositEntries(uid, account, op.coin, amount));
      this.bump(this.net, op.coin, amount);
    } else if (op.t === 'withdraw') {
      const uid = UIDS[op.uid];
      const amount = op.coin === 'BTC' ? String(op.amount / 1000) : String(op.amount);
      const before = balanceOf(this.book, uid, 'spot', op.coin);
      try {
        this.book = applyEntries(this.book, withdrawEntries(uid, { type: 'spot' }, op.coin, amount));
        this.bump(this.net, op.coin, '-' + amount);
      } catch (e) {
        assert.ok(e instanceof BitgetError && e.code === '40754', String(e));
        assert.ok(cmp(before.available, amount) < 0, 'refused a withdrawal it could pay');
      }
    } else if (op.t === 'place') {
      this.place(op);
    } else if (op.t === 'fill') {
      this.fill(op);
    } else {
      const open = this.orders;
      if (open.length === 0) return;
      const o = open[op.i % open.length];
      if (!isZero(o.held)) this.stats.releases++;
      this.book = applyEntries(this.book, releaseEntries(o.uid, o.account, o.id, o.holdCoin, o.held));
      this.orders = open.filter((x) => x !== o);
    }
  }

  place(op: Extract<Op, { t: 'place' }>) {
    const uid = UIDS[op.uid];
    const price = String(op.price);
    const size = String(op.size / 1000);
    const id = `o${++this.next}`;
    if (op.kind === 'spot') {
      const hold = holdFor({ side: op.side, orderType: 'limit', price, size }, SPOT);
      this.hold({ id, uid, kind: 'spot', side: op.side, price, size, filled: '0', held: hold.amount, holdCoin: hold.coin, account: 'spot', leverage: '1' });
      return;
    }
    const F = FUTS[op.kind];
    let tradeSide: 'open' | 'close' | undefined;
    if (POS_MODE[uid] === 'hedge_mode') {
      tradeSide = op.close ? 'close' : 'open';
      if (tradeSide === 'close') {
        // a close order may not exceed the position less what other close orders lock
        const side = op.side === 'buy' ? 'short' : 'long';
        const pos = this.positions.get(positionKey(uid, F.account, F.market.symbol, side));
        const locked = sum(this.orders.filter((o) => o.uid === uid && o.kind === op.kind && o.tradeSide === 'close' && o.side === op.side).map((o) => sub(o.size, o.filled)));
        if (!pos || cmp(add(locked, size), pos.size) > 0) return;
      }
    }
    const leverage = String(op.lev);
    const hold = holdFor({ side: op.side, orderType: 'limit', price, size, leverage, marginCoin: F.coin, reducing: tradeSide === 'close' }, F.market);
    this.hold({ id, uid, kind: op.kind, side: op.side, price, size, filled: '0', held: hold.amount, holdCoin: F.coin, account: F.account, leverage, tradeSide });
  }

  hold(o: ModelOrder) {
    const before = balanceOf(this.book, o.uid, o.account, o.holdCoin);
    try {
      this.book = applyEntries(this.book, holdEntries(o.uid, o.account, o.id, { coin: o.holdCoin, amount: o.held }));
      this.orders.push(o);
    } catch (e) {
      assert.ok(e instanceof BitgetError && e.code === (o.kind === 'spot' ? '43012' : '40762'), String(e));
      this.stats.refused++;
      assert.ok(cmp(before.available, o.held) < 0, 'refused an order it could fund');
      assert.deepEqual(balanceOf(this.book, o.uid, o.account, o.holdCoin), before);
    }
  }

  fill(op: Extract<Op, { t: 'fill' }>) {
    if (this.orders.length < 2) return;
    // a: any open order; b: one of the open orders it crosses (same market, other side, prices cross)
    const a = this.orders[op.a % this.orders.length];
    const crossing = (x: ModelOrder) => x.kind === a.kind && x.side !== a.side && (a.side === 'buy' ? cmp(a.price, x.price) >= 0 : cmp(x.price, a.price) >= 0);
    const candidates = this.orders.filter(crossing);
    if (candidates.length === 0) return;
    const b = candidates[op.b % candidates.length];
    const buy = a.side === 'buy' ? a : b;
    const sell = a.side === 'buy' ? b : a;
    // the later order is the taker and trades at the maker's price
    const [taker, maker] = Number(a.id.slice(1)) > Number(b.id.slice(1)) ? [a, b] : [b, a];
    const price = maker.price;
    const left = min(sub(buy.size, buy.filled), sub(sell.size, sell.filled));
    let size = round(mul(left, String(op.frac / 4)), 3, 'down');
    if (isZero(size)) size = left;
    const tradeId = `t${this.ops}`;
    for (const [o, liquidity] of [[taker, 'taker'], [maker, 'maker']] as const) {
      const remaining = sub(o.size, o.filled);
      if (o.kind === 'spot') {
        const r = settleSpotFill({ uid: o.uid, account: o.account, orderId: o.id, tradeId, market: SPOT, side: o.side, orderType: 'limit', fillSize: size, fillPrice: price, liquidity, held: o.held, remaining });
        this.book = applyEntries(this.book, r.entries);
        this.stats.spotFills++;
        this.bump(this.fees, r.trade.feeCoin, r.trade.fee);
        o.held = r.held;
      } else {
        // a hedge close fill larger than the position cannot happen: placement locked it
        const F = FUTS[o.kind];
        const r = settleFuturesFill({
          uid: o.uid, account: o.account, orderId: o.id, tradeId, market: F.market, side: o.side, orderType: 'limit', fillSize: size, fillPrice: price,
          liquidity, held: o.held, remaining, productType: F.productType, marginCoin: F.coin, posMode: POS_MODE[o.uid], marginMode: MARGIN_MODE[o.uid],
          leverage: o.leverage, tradeSide: o.tradeSide, positions: this.positions, available: balanceOf(this.book, o.uid, o.account, F.coin).available,
        });
        this.book = applyEntries(this.book, r.entries);
        this.positions = applyPositions(this.positions, r.positions);
        if (o.kind === 'fut') this.stats.futFills++;
        else this.stats.invFills++;
        if (r.trade.tradeSide === 'close') this.stats.closes++;
        if (!isZero(r.shortfall)) this.stats.shortfalls++;
        if (r.trade.tradeSide === 'close_open') this.stats.flips++;
        this.bump(this.fees, F.coin, r.trade.fee);
        this.bump(this.pnl, F.coin, r.realisedPnl);
        o.held = r.held;
      }
      o.filled = add(o.filled, size);
    }
    this.fills++;
    for (const o of [taker, maker]) if (cmp(o.filled, o.size) === 0) assert.equal(o.held, '0', 'a filled order holds nothing');
    this.orders = this.orders.filter((o) => cmp(o.filled, o.size) < 0);
  }

  check() {
    // 1. frozen == sum of holds of open orders, per (uid, account, coin)
    const holds = new Map<string, string>();
    for (const o of this.orders) {
      const k = `${o.uid}|${o.account}|${o.holdCoin}`;
      holds.set(k, add(holds.get(k) ?? '0', o.held));
    }
    for (const [k, b] of this.book) {
      assert.equal(cmp(b.frozen, holds.get(k) ?? '0'), 0, `frozen of ${k}: ${b.frozen} vs holds ${holds.get(k) ?? '0'}`);
      // 2. never negative
      assert.ok(!b.available.startsWith('-') && !b.frozen.startsWith('-'), `negative balance ${k}`);
    }
    for (const [k, h] of holds) assert.ok(this.book.has(k) || isZero(h), `hold without balance ${k}`);
    for (const p of this.positions.values()) {
      assert.ok(cmp(p.size, '0') > 0 && cmp(p.margin, '0') >= 0, `position ${p.uid} ${p.holdSide} size ${p.size} margin ${p.margin}`);
    }
    // 3. conservation per coin
    for (const coin of ['USDT', 'BTC']) {
      const balances = sum([...this.book.entries()].filter(([k]) => k.endsWith(`|${coin}`)).map(([, b]) => add(b.available, b.frozen)));
      const margins = sum([...this.positions.values()].filter((p) => p.marginCoin === coin).map((p) => p.margin));
      const expected = sub(add(this.net.get(coin)!, this.pnl.get(coin)!), this.fees.get(coin)!);
      assert.equal(cmp(add(balances, margins), expected), 0, `${coin}: balances ${balances} + margins ${margins} != ${expected}`);
    }
  }
}

test('ledger invariants hold after any interleaving of deposits, placements, fills and cancels', { timeout: 120_000 }, () => {
  let runs = 0;
  let fills = 0;
  const stats = { spotFills: 0, futFills: 0, invFills: 0, shortfalls: 0, closes: 0, flips: 0, refused: 0, releases: 0 };
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 10, maxLength: 80, size: 'max' }), (ops) => {
      runs++;
      const m = new Model();
      // every UID starts funded (spot USDT and BTC, USDT-M USDT); the ops add and withdraw more
      for (let uid = 0; uid < UIDS.length; uid++) {
        m.run({ t: 'deposit', uid, fut: false, coin: 'USDT', amount: 20 });
        m.run({ t: 'deposit', uid, fut: true, coin: 'USDT', amount: 20 });
        m.run({ t: 'deposit', uid, fut: false, coin: 'BTC', amount: 100 });
        m.run({ t: 'deposit', uid, fut: true, coin: 'BTC', amount: 100 });
      }
      for (const op of ops) {
        m.run(op);
        m.check();
      }
      fills += m.fills;
      for (const k of Object.keys(stats) as (keyof typeof stats)[]) stats[k] += m.stats[k];
    }),
    { numRuns: 300, seed: 20261002 },
  );
  assert.equal(runs, 300);
  // the generator must actually reach every path, or the invariants above prove little
  assert.ok(fills > 500, `fills ${fills}`);
  // bankruptcies (shortfalls) are rare by nature; futures.test.ts has exact examples of both kinds
  for (const [k, v] of Object.entries(stats)) assert.ok(v >= (k === 'shortfalls' ? 1 : 20), `${k} exercised only ${v} times`);
  console.log(`# ledger invariants: ${runs} runs, ${fills} fills, ${JSON.stringify(stats)}`);
});

test('the invariant check notices a release that is one unit short', () => {
  const m = new Model();
  m.run({ t: 'deposit', uid: 0, fut: false, coin: 'USDT', amount: 1000 });
  m.run({ t: 'place', uid: 0, kind: 'spot', side: 'buy', price: 100, size: 3, lev: 1, close: false });
  m.check();
  const o = m.orders[0];
  m.book = applyEntries(m.book, releaseEntries(o.uid, o.account, o.id, o.holdCoin, sub(o.held, '0.00000001')));
  m.orders = [];
  assert.throws(() => m.check(), /frozen of u1\|spot\|USDT/);
});
