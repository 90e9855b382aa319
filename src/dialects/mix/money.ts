/**
 * Futures (mix) money endpoints (issue 10), as Bitget answers them (research-venue.md §3.1-3.4):
 * `account/accounts`, `account/account`, `position/all-position`, `position/single-position`,
 * `order/fills`, `account/set-leverage`, `account/set-margin-mode`, `account/set-position-mode`.
 *
 * Mark price: the UID's last trade price of the symbol (the market issue will give a real one);
 * a position without a trade price is valued at its open price (unrealised PnL 0).
 */
import { isZero, neg } from '../../domain/decimal.js';
import { Errors, err } from '../../domain/errors.js';
import type { Category } from '../../domain/types.js';
import type { Engine } from '../../engine/engine.js';
import { accountId, fixedMarginCoin, parseAccountId, type FuturesProductType } from '../../ledger/accounts.js';
import { LEDGER_SCALE } from '../../ledger/balances.js';
import { isInverse } from '../../ledger/fees.js';
import {
  DEFAULT_MMR,
  futuresAccountView,
  isolatedLiquidationPrice,
  openPriceAvg,
  unrealisedPnl,
  type PosMode,
  type Position,
  type SymbolSettings,
  defaultSettings,
} from '../../ledger/positions.js';
import type { Catalogue } from '../../markets/catalogue.js';
import type { AccountState, StoredTrade } from '../../store/types.js';
import { optDigits, parseProductType } from '../common/parse.js';

/** The productType of a query (`USDT-FUTURES`, case-insensitive). @throws BitgetError 40020 `Parameter productType error`. */
export function futuresProductType(v: string): FuturesProductType {
  const c = parseProductType(v);
  if (c !== 'USDT-FUTURES' && c !== 'COIN-FUTURES' && c !== 'USDC-FUTURES') throw err(Errors.PARAM_ERROR, 'productType');
  return c;
}

/** Mark prices by symbol: the UID's newest trade price per symbol of `category`. */
export async function marksOf(uid: string, category: Category, engine: Engine): Promise<Map<string, string>> {
  const marks = new Map<string, string>();
  for (const t of await engine.listTrades({ uid, categories: [category], limit: 1000 })) if (!marks.has(t.symbol)) marks.set(t.symbol, t.price);
  return marks;
}

function accountRow(st: AccountState, productType: FuturesProductType, marginCoin: string, marks: Map<string, string>) {
  const acc = accountId({ type: 'futures', productType, marginCoin });
  const b = st.balances.find((x) => x.account === acc && x.coin === marginCoin) ?? { available: '0', frozen: '0' };
  const v = futuresAccountView(b, st.positions.filter((p) => p.account === acc), marks, isInverse(productType), LEDGER_SCALE);
  const stable = marginCoin === 'USDT' || marginCoin === 'USDC';
  return {
    marginCoin,
    locked: v.locked,
    available: v.available,
    crossedMaxAvailable: v.available,
    isolatedMaxAvailable: v.available,
    maxTransferOut: v.maxTransferOut,
    accountEquity: v.accountEquity,
    usdtEquity: stable ? v.accountEquity : '0',
    btcEquity: marginCoin === 'BTC' ? v.accountEquity : '0',
    crossedRiskRate: '0',
    unrealizedPL: v.unrealizedPL,
    coupon: '0',
    unionTotalMargin: stable ? v.accountEquity : '0',
    unionAvailable: stable ? v.available : '0',
    unionMm: '0',
    assetList: [],
    isolatedMargin: v.isolatedMargin,
    crossedMargin: v.crossedMargin,
    crossedUnrealizedPL: v.crossedUnrealizedPL,
    isolatedUnrealizedPL: v.isolatedUnrealizedPL,
    assetMode: 'single',
  };
}

/** The margin coins a UID has futures accounts in for `productType` (USDT-M / USDC-M: always their coin). */
function marginCoinsOf(st: AccountState, productType: FuturesProductType): string[] {
  const coins = new Set<string>();
  const fixed = fixedMarginCoin(productType);
  if (fixed) coins.add(fixed);
  for (const b of st.balances) {
    if (!b.account.startsWith('futures:')) continue;
    const k = parseAccountId(b.account);
    if (k.type === 'futures' && k.productType === productType) coins.add(k.marginCoin);
  }
  return [...coins].sort();
}

/**
 * GET /api/v2/mix/account/accounts?productType: one item per margin coin (ccxt: free =
 * `maxTransferOut`, total = `accountEquity`). `usdtEquity` / `btcEquity` are the equity when
 * the coin is USDT/USDC or BTC, else "0" (no conversion prices yet).
 */
export async function mixAccounts(uid: string, q: { productType: string }, engine: Engine) {
  const productType = futuresProductType(q.productType);
  const st = await engine.accountState(uid);
  const marks = await marksOf(uid, productType, engine);
  return marginCoinsOf(st, productType).map((c) => accountRow(st, productType, c, marks));
}

function settingsOf(st: AccountState, account: string, symbol: string): SymbolSettings {
  return st.settings.get(`${account}|${symbol}`) ?? defaultSettings();
}

/** The futures market and account of a (symbol, productType, marginCoin) query. @throws 40020 / 40034-style symbol error. */
function target(q: { symbol: string; productType: string; marginCoin: string }, catalogue: Catalogue) {
  const productType = futuresProductType(q.productType);
  const market = catalogue.get(productType, q.symbol.toUpperCase());
  if (!market) throw err(Errors.PARAM_ERROR, 'symbol');
  const marginCoin = (q.marginCoin || market.marginCoins[0]).toUpperCase();
  if (!market.marginCoins.includes(marginCoin)) throw err(Errors.PARAM_ERROR, 'marginCoin');
  return { productType, market, marginCoin, account: accountId({ type: 'futures', productType, marginCoin }) };
}

/**
 * GET /api/v2/mix/account/account?symbol&productType&marginCoin: the account of one margin
 * coin with the symbol's leverage and modes (`crossedMarginLeverage`, `isolatedLongLever`,
 * `isolatedShortLever`, `marginMode`, `posMode`; ccxt fetchLeverage reads these).
 */
export async function mixAccount(uid: string, q: { symbol: string; productType: string; marginCoin: string }, engine: Engine, catalogue: Catalogue) {
  const t = target(q, catalogue);
  const st = await engine.accountState(uid);
  const s = settingsOf(st, t.account, t.market.symbol);
  return {
    ...accountRow(st, t.productType, t.marginCoin, await marksOf(uid, t.productType, engine)),
    symbol: t.market.symbol.toLowerCase(),
    crossedMarginLeverage: Number(s.crossedLeverage),
    isolatedLongLever: Number(s.longLeverage),
    isolatedShortLever: Number(s.shortLeverage),
    marginMode: s.marginMode,
    posMode: st.posModes.get(t.productType) ?? 'one_way_mode',
  };
}

/** One position as v2 renders it (DOC:contract/position/get-all-position.md). */
export function renderMixPosition(p: Position, posMode: PosMode, mark: string | undefined, pricePlace: number, now: number) {
  const inverse = isInverse(p.productType);
  const avg = openPriceAvg(p, pricePlace);
  const upl = mark ? unrealisedPnl(p, mark, inverse, LEDGER_SCALE) : '0';
  return {
    marginCoin: p.marginCoin,
    symbol: p.symbol,
    holdSide: p.holdSide,
    openDelegateSize: '0',
    marginSize: p.margin,
    available: p.size,
    locked: '0',
    total: p.size,
    leverage: p.leverage,
    achievedProfits: p.achievedProfits,
    openPriceAvg: avg,
    marginMode: p.marginMode,
    posMode,
    unrealizedPL: upl,
    liquidationPrice: p.marginMode === 'isolated' ? isolatedLiquidationPrice(p, inverse, pricePlace) : '0',
    keepMarginRate: DEFAULT_MMR,
    markPrice: mark ?? avg,
    breakEvenPrice: avg,
    totalFee: isZero(p.totalFee) ? '0' : neg(p.totalFee),
    deductedFee: '0',
    takeProfit: '',
    stopLoss: '',
    takeProfitId: '',
    stopLossId: '',
    marginRatio: '0',
    assetMode: 'single',
    cTime: String(now),
    uTime: String(now),
  };
}

/** GET /api/v2/mix/position/all-position?productType[&marginCoin]: every open position (`data` an array). */
export async function mixAllPositions(uid: string, q: { productType: string; marginCoin?: string }, engine: Engine, catalogue: Catalogue, now: number) {
  const productType = futuresProductType(q.productType);
  const st = await engine.accountState(uid);
  const marks = await marksOf(uid, productType, engine);
  const posMode = st.posModes.get(productType) ?? 'one_way_mode';
  return st.positions
    .filter((p) => p.productType === productType && (!q.marginCoin || p.marginCoin === q.marginCoin.toUpperCase()))
    .map((p) => renderMixPosition(p, posMode, marks.get(p.symbol), catalogue.get(productType, p.symbol)?.pricePlace ?? 2, now));
}

/** GET /api/v2/mix/position/single-position?symbol&productType&marginCoin: that symbol's positions (`data` an array; ccxt takes [0]). */
export async function mixSinglePosition(uid: string, q: { symbol: string; productType: string; marginCoin: string }, engine: Engine, catalogue: Catalogue, now: number) {
  const t = target(q, catalogue);
  const all = await mixAllPositions(uid, { productType: t.productType, marginCoin: t.marginCoin }, engine, catalogue, now);
  return all.filter((p) => p.symbol === t.market.symbol);
}

/** One futures fill (mix `order/fills` `fillList[]`): `feeDetail` an ARRAY and `posMode` present (ccxt reads feeDetail[0] when posMode is there). */
export function renderMixFill(t: StoredTrade, posMode: PosMode) {
  return {
    tradeId: t.tradeId,
    symbol: t.symbol,
    orderId: t.orderId,
    price: t.price,
    baseVolume: t.size,
    feeDetail: [{ deduction: 'no', feeCoin: t.feeCoin, totalDeductionFee: '0', totalFee: isZero(t.fee) ? '0' : neg(t.fee) }],
    side: t.side,
    quoteVolume: t.quoteVolume,
    profit: t.realisedPnl,
    enterPointSource: 'api',
    tradeSide: posMode === 'hedge_mode' ? t.tradeSide || 'open' : t.side === 'buy' ? 'buy_single' : 'sell_single',
    posMode,
    tradeScope: t.liquidity,
    cTime: t.cTime,
  };
}

/**
 * GET /api/v2/mix/order/fills?productType[&symbol][&orderId][&startTime][&endTime][&limit][&idLessThan]:
 * `{fillList: [...], endId}` newest first (limit 1..100, default 100).
 */
export async function mixFills(
  uid: string,
  q: { productType: string; symbol?: string; orderId?: string; startTime?: string; endTime?: string; limit?: string; idLessThan?: string },
  engine: Engine,
) {
  const productType = futuresProductType(q.productType);
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw err(Errors.PARAM_ERROR, 'limit');
  const st = await engine.accountState(uid);
  const posMode = st.posModes.get(productType) ?? 'one_way_mode';
  const trades = await engine.listTrades({
    uid,
    categories: [productType],
    symbol: q.symbol ? q.symbol.toUpperCase() : undefined,
    orderId: q.orderId || undefined,
    idLessThan: optDigits(q.idLessThan, 'idLessThan'),
    startTime: num(optDigits(q.startTime, 'startTime')),
    endTime: num(optDigits(q.endTime, 'endTime')),
    limit,
  });
  return { fillList: trades.map((t) => renderMixFill(t, posMode)), endId: trades.length ? trades[trades.length - 1].tradeId : '' };
}

/**
 * POST /api/v2/mix/account/set-leverage {symbol, productType, marginCoin, leverage | longLeverage/shortLeverage, holdSide?}:
 * `{symbol, marginCoin, longLeverage, shortLeverage, crossMarginLeverage, marginMode}`.
 * @throws BitgetError 40020 `Parameter leverage error` (not an integer in the market's bounds).
 */
export async function mixSetLeverage(
  uid: string,
  b: { symbol: string; productType: string; marginCoin: string; leverage?: string; longLeverage?: string; shortLeverage?: string; holdSide?: string },
  engine: Engine,
  catalogue: Catalogue,
) {
  const t = target(b, catalogue);
  if (b.holdSide !== undefined && b.holdSide !== 'long' && b.holdSide !== 'short') throw err(Errors.PARAM_ERROR, 'holdSide');
  const s = await engine.setLeverage(uid, t.account, t.market, { leverage: b.leverage, longLeverage: b.longLeverage, shortLeverage: b.shortLeverage, holdSide: b.holdSide });
  return {
    symbol: t.market.symbol.toLowerCase(),
    marginCoin: t.marginCoin,
    longLeverage: s.longLeverage,
    shortLeverage: s.shortLeverage,
    crossMarginLeverage: s.crossedLeverage,
    marginMode: s.marginMode,
  };
}

/** POST /api/v2/mix/account/set-margin-mode {symbol, productType, marginCoin, marginMode}: `{symbol, marginCoin, longLeverage, shortLeverage, marginMode}`. */
export async function mixSetMarginMode(uid: string, b: { symbol: string; productType: string; marginCoin: string; marginMode: string }, engine: Engine, catalogue: Catalogue) {
  const t = target(b, catalogue);
  if (b.marginMode !== 'crossed' && b.marginMode !== 'isolated') throw err(Errors.PARAM_ERROR, 'marginMode');
  const s = await engine.setMarginMode(uid, t.account, t.market.symbol, b.marginMode);
  return { symbol: t.market.symbol.toLowerCase(), marginCoin: t.marginCoin, longLeverage: s.longLeverage, shortLeverage: s.shortLeverage, marginMode: s.marginMode };
}

/** POST /api/v2/mix/account/set-position-mode {productType, posMode}: `{posMode}`. */
export async function mixSetPositionMode(uid: string, b: { productType: string; posMode: string }, engine: Engine) {
  const productType = futuresProductType(b.productType);
  if (b.posMode !== 'one_way_mode' && b.posMode !== 'hedge_mode') throw err(Errors.PARAM_ERROR, 'posMode');
  return { posMode: await engine.setPosMode(uid, [productType], b.posMode) };
}

/** A checked digits string as a number (undefined stays undefined). */
function num(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}
