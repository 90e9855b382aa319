/**
 * v3 UTA `order` push item (reference §6.3, DOC:uta/websocket/private/Order-Channel.md), built
 * from the REST renderer `renderUtaOrder`: `category` lower case (`usdt-futures`, as the doc's
 * example; ccxt lower-cases it anyway); `holdSide` for REST's `posSide`; `marginMode`,
 * `marginCoin`, `leverage`, `totalProfit` added; the REST-only `execType` and TP/SL fields
 * removed. `orderStatus` live | partially_filled | filled | cancelled, `cancelReason` set on a
 * cancel. Every number is a string.
 */
import type { Order } from '../../domain/types.js';
import { renderUtaOrder } from './render.js';

/** One item of a v3 `order` push. */
export function renderUtaPush(o: Order) {
  const {
    category,
    posSide,
    execType: _e,
    tpTriggerBy: _a,
    slTriggerBy: _b,
    takeProfit: _c,
    stopLoss: _d,
    tpOrderType: _f,
    slOrderType: _g,
    tpLimitPrice: _h,
    slLimitPrice: _i,
    ...rest
  } = renderUtaOrder(o);
  const futures = o.category !== 'SPOT' && o.category !== 'MARGIN';
  return {
    category: category.toLowerCase(),
    ...rest,
    holdSide: posSide,
    marginMode: o.category === 'SPOT' ? '' : (o.marginMode ?? 'crossed'),
    marginCoin: futures ? (o.marginCoin ?? '') : '',
    leverage: futures ? (o.extra.leverage ?? '20') : '',
    totalProfit: '0',
  };
}

/**
 * v3 `fill` push item (DOC:uta/websocket/private/Fill-Channel.md): `category` UPPER case,
 * `execId`, `execPrice`, `execQty` (base), `execValue` (quote), `execPnl`, `feeDetail:
 * [{feeCoin, fee}]` with the fee POSITIVE (as the doc example), `execTime`, `updatedTime`.
 */
export function renderUtaFillPush(t: import('../../store/types.js').StoredTrade) {
  return {
    category: t.category,
    orderId: t.orderId,
    clientOid: '',
    execId: t.tradeId,
    execLinkId: t.tradeId,
    symbol: t.symbol,
    orderType: 'limit',
    side: t.side,
    holdSide: t.category === 'SPOT' || t.category === 'MARGIN' ? '' : t.side === 'buy' ? 'long' : 'short',
    tradeSide: t.tradeSide,
    execPrice: t.price,
    execQty: t.size,
    execValue: t.quoteVolume,
    execPnl: t.realisedPnl,
    tradeScope: t.liquidity,
    feeDetail: [{ feeCoin: t.feeCoin, fee: t.fee }],
    execTime: t.cTime,
    updatedTime: t.cTime,
  };
}

/**
 * v3 `account` push item (DOC:uta/websocket/private/Account-Channel.md) from the REST
 * `account/assets` answer: one item `{unrealisedPnL, totalEquity, positionMgnRatio, mmr,
 * effEquity, imr, mgnRatio, coin: [{debts, balance, available, borrow, locked, equity, coin,
 * usdValue}]}`. ccxt: free = available, used = locked, total = balance.
 */
export function renderUtaAccountPush(a: Awaited<ReturnType<typeof import('./money.js').utaAssets>>) {
  return {
    unrealisedPnL: a.unrealisedPnl,
    totalEquity: a.accountEquity,
    positionMgnRatio: a.positionMgnRatio,
    mmr: a.mmr,
    effEquity: a.effEquity,
    imr: a.imr,
    mgnRatio: a.mgnRatio,
    coin: a.assets.map((c) => ({ debts: c.debt, balance: c.balance, available: c.available, borrow: '0', locked: c.locked, equity: c.equity, coin: c.coin, usdValue: c.usdValue })),
  };
}

/**
 * v3 `position` push item (DOC:uta/websocket/private/Positions-Channel.md) from the REST
 * `current-position` item: `size` (REST `total`), `liqPrice`, `marginSize`, `totalFundingFee`;
 * `positionStatus` `opening` (REST `normal`) or `ended` for a closed one (`size:"0"`).
 */
export function renderUtaPositionPush(p: Record<string, string | undefined>) {
  return {
    category: p.category ?? '',
    symbol: p.symbol ?? '',
    marginCoin: p.marginCoin ?? '',
    holdMode: p.holdMode ?? 'one_way_mode',
    posSide: p.posSide ?? '',
    marginMode: p.marginMode ?? 'crossed',
    leverage: p.leverage ?? '',
    size: p.total ?? '0',
    available: p.available ?? '0',
    frozen: p.frozen ?? '0',
    avgPrice: p.avgPrice ?? '0',
    markPrice: p.markPrice ?? '0',
    breakEvenPrice: p.breakEvenPrice ?? '0',
    liqPrice: p.liquidationPrice ?? '0',
    mmr: p.mmr ?? '0',
    marginSize: p.positionBalance ?? '0',
    unrealisedPnl: p.unrealisedPnl ?? '0',
    curRealisedPnl: p.curRealisedPnl ?? '0',
    profitRate: p.profitRate ?? '0',
    openFeeTotal: p.openFeeTotal ?? '0',
    closeFeeTotal: p.closeFeeTotal ?? '0',
    totalFundingFee: p.totalFunding ?? '0',
    positionStatus: p.positionStatus === 'ended' ? 'ended' : 'opening',
    createdTime: p.createdTime ?? '',
    updatedTime: p.updatedTime ?? '',
  };
}
