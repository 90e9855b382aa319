/**
 * v2 futures `orders` push item (reference §6.2; research §1.5, the real USDT-FUTURES push in
 * ccxt#25524), built from the REST renderer `renderMixOrder` with the push's names: `instId` for
 * `symbol`; `status` `canceled` (one L, as mix); `reduceOnly` lower case `yes`/`no` (the push
 * differs from REST here); `accBaseVolume` and `baseVolume` both the cumulative filled size
 * (ccxt reads a contract order's `filled` from `baseVolume`); `fillNotionalUsd` the filled quote
 * value (ccxt's `cost`); `priceAvg` omitted on a cancelled order that filled nothing (the docs:
 * "omitted when the order is cancelled"); `feeDetail` an array (`[]`, no fees), `pnl`,
 * `stpMode`, `notionalUsd` added; REST-only `state`, `fee`, `quoteVolume`, `orderSource`
 * removed. `price` is '0' for a market order. Every number is a string.
 */
import { mul } from '../../domain/decimal.js';
import type { Order } from '../../domain/types.js';
import { renderMixOrder } from './render.js';

/** One item of a v2 futures `orders` push. */
export function renderMixPush(o: Order) {
  const { symbol, state: _st, fee: _f, quoteVolume, orderSource: _s, reduceOnly, priceAvg, ...rest } = renderMixOrder(o);
  const item: Record<string, unknown> = {
    instId: symbol,
    ...rest,
    price: o.price || '0',
    reduceOnly: reduceOnly.toLowerCase(),
    accBaseVolume: o.filledSize,
    fillNotionalUsd: quoteVolume,
    notionalUsd: o.price ? mul(o.price, o.size) : quoteVolume,
    pnl: '0',
    stpMode: o.extra.stpMode ?? 'none',
    feeDetail: [] as Array<{ feeCoin: string; fee: string }>,
  };
  if (!(o.status === 'cancelled' && priceAvg === '0')) item.priceAvg = priceAvg;
  return item;
}

/**
 * v2 futures `fill` push item (DOC:contract/websocket/private/Fill-Channel.md), built from the
 * REST fill `renderMixFill`: `clientOid` (''; trades do not carry it), `orderType` ('limit', as
 * REST), `uTime` added, `enterPointSource` removed. `feeDetail` `[{feeCoin, deduction,
 * totalDeductionFee, totalFee}]`, fee negative. Every number a string.
 */
export function renderMixFillPush(f: ReturnType<typeof import('./money.js').renderMixFill>) {
  const { enterPointSource: _e, ...rest } = f;
  return { ...rest, clientOid: '', orderType: 'limit', uTime: f.cTime };
}

/**
 * v2 futures `account` push item (DOC:contract/websocket/private/Account-Channel.md) from the
 * REST `account/accounts` item: `frozen` (REST `locked`), `equity` (REST `accountEquity`),
 * `maxOpenPosAvailable` (= available), `assetsMode`. ccxt: free = `maxTransferOut`, total =
 * `equity`, used = `frozen`.
 */
export function renderMixAccountPush(a: Awaited<ReturnType<typeof import('./money.js').mixAccounts>>[number]) {
  return {
    marginCoin: a.marginCoin,
    frozen: a.locked,
    available: a.available,
    maxOpenPosAvailable: a.available,
    maxTransferOut: a.maxTransferOut,
    equity: a.accountEquity,
    usdtEquity: a.usdtEquity,
    crossedRiskRate: a.crossedRiskRate,
    unrealizedPL: a.unrealizedPL,
    unionTotalMargin: a.unionTotalMargin,
    unionAvailable: a.unionAvailable,
    unionMm: a.unionMm,
    assetsMode: a.assetMode,
  };
}

/**
 * v2 futures `positions` push item (DOC:contract/websocket/private/Positions-Channel.md) from
 * the REST position `renderMixPosition`: `instId` for `symbol`, `posId` (`<symbol>_<holdSide>`),
 * `frozen` (REST `locked`), `leverage` a NUMBER (as the doc example), `unrealizedPLR`,
 * `marginRate`, `autoMargin` added; REST-only TP/SL fields removed.
 */
export function renderMixPositionPush(p: ReturnType<typeof import('./money.js').renderMixPosition>) {
  const { symbol, locked, leverage, takeProfit: _a, stopLoss: _b, takeProfitId: _c, stopLossId: _d, openDelegateSize: _e, marginRatio, ...rest } = p;
  return {
    posId: `${symbol}_${p.holdSide}`,
    instId: symbol,
    ...rest,
    frozen: locked,
    leverage: Number(leverage),
    unrealizedPLR: '0',
    marginRate: marginRatio,
    autoMargin: 'off',
  };
}
