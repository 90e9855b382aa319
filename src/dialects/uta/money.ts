/**
 * v3 unified-account money endpoints (issue 10): `account/assets`, `account/settings` (real
 * values), `account/set-leverage`, `account/set-hold-mode`, `position/current-position`,
 * `trade/fills`, as Bitget answers them (research-venue.md §3.1-3.4; DOC:uta/account/Get-Account.md).
 *
 * USD values: USDT and USDC count 1:1; other coins have no price source yet and count 0 in
 * `accountEquity` / `usdValue` (their own `equity` / `balance` are exact).
 */
import { add, isZero, sum } from '../../domain/decimal.js';
import { Errors, err } from '../../domain/errors.js';
import { FUTURES_CATEGORIES, type Category } from '../../domain/types.js';
import type { Engine } from '../../engine/engine.js';
import { LEDGER_SCALE } from '../../ledger/balances.js';
import { isInverse } from '../../ledger/fees.js';
import { DEFAULT_MMR, defaultSettings, isolatedLiquidationPrice, openPriceAvg, unrealisedPnl } from '../../ledger/positions.js';
import type { Catalogue } from '../../markets/catalogue.js';
import { optDigits, parseCategory } from '../common/parse.js';
import { marksOf } from '../mix/money.js';

const usd = (coin: string, amount: string) => (coin === 'USDT' || coin === 'USDC' ? amount : '0');

/** GET /api/v3/account/assets: `data` an OBJECT with `assets: [{coin, equity, usdValue, balance, available, debt, locked}]` (non-zero only). */
export async function utaAssets(uid: string, engine: Engine) {
  const st = await engine.accountState(uid);
  const assets = st.balances
    .filter((b) => b.account === 'unified' && !isZero(add(b.available, b.frozen)))
    .map((b) => {
      const total = add(b.available, b.frozen);
      return { coin: b.coin, equity: total, usdValue: usd(b.coin, total), balance: total, available: b.available, debt: '0', locked: b.frozen };
    });
  const margins = st.positions.filter((p) => p.account === 'unified').map((p) => usd(p.marginCoin, p.margin));
  const equity = sum([...assets.map((a) => a.usdValue), ...margins]);
  return {
    accountEquity: equity,
    usdtEquity: equity,
    btcEquity: '0',
    unrealisedPnl: '0',
    usdtUnrealisedPnl: '0',
    btcUnrealizedPnl: '0',
    effEquity: equity,
    mmr: '0',
    imr: '0',
    mgnRatio: '0',
    positionMgnRatio: '0',
    assets,
  };
}

/** GET /api/v3/account/settings: the UID's real hold mode and per-symbol leverage (ccxt probes it for UTA mode). */
export async function utaSettings(uid: string, engine: Engine) {
  const st = await engine.accountState(uid);
  const symbolConfigList = [...st.settings]
    .filter(([k]) => k.startsWith('unified|'))
    .map(([k, s]) => ({ category: 'USDT-FUTURES', symbol: k.split('|')[1], marginMode: s.marginMode, leverage: s.marginMode === 'crossed' ? s.crossedLeverage : s.longLeverage }));
  return {
    uid,
    accountMode: 'unified',
    assetMode: 'single',
    holdMode: st.posModes.get('USDT-FUTURES') ?? 'one_way_mode',
    stpMode: 'none',
    symbolConfigList,
    coinConfigList: [],
  };
}

/** POST /api/v3/account/set-leverage {category, symbol, leverage, posSide?}: `"success"`. */
export async function utaSetLeverage(uid: string, b: { category: string; symbol?: string; leverage: string; posSide?: string; coin?: string }, engine: Engine, catalogue: Catalogue) {
  const category = parseCategory(b.category);
  if (!(FUTURES_CATEGORIES as readonly Category[]).includes(category)) throw err(Errors.PARAM_ERROR, 'category');
  const market = catalogue.get(category, (b.symbol ?? '').toUpperCase());
  if (!market) throw err(Errors.PARAM_ERROR, 'symbol');
  if (b.posSide !== undefined && b.posSide !== 'long' && b.posSide !== 'short') throw err(Errors.PARAM_ERROR, 'posSide');
  await engine.setLeverage(uid, 'unified', market, { leverage: b.leverage, holdSide: b.posSide });
  return 'success';
}

/** POST /api/v3/account/set-hold-mode {holdMode}: every futures category of the UID; `"success"`. */
export async function utaSetHoldMode(uid: string, b: { holdMode: string }, engine: Engine) {
  if (b.holdMode !== 'one_way_mode' && b.holdMode !== 'hedge_mode') throw err(Errors.PARAM_ERROR, 'holdMode');
  await engine.setPosMode(uid, FUTURES_CATEGORIES, b.holdMode);
  return 'success';
}

/** GET /api/v3/position/current-position?category[&symbol][&posSide]: `{list: [...]}`. */
export async function utaPositions(uid: string, q: { category: string; symbol?: string; posSide?: string }, engine: Engine, catalogue: Catalogue, now: number) {
  const category = parseCategory(q.category);
  const st = await engine.accountState(uid);
  const marks = await marksOf(uid, category, engine);
  const holdMode = st.posModes.get(category) ?? 'one_way_mode';
  const list = st.positions
    .filter((p) => p.account === 'unified' && p.productType === category && (!q.symbol || p.symbol === q.symbol.toUpperCase()) && (!q.posSide || p.holdSide === q.posSide))
    .map((p) => {
      const inverse = isInverse(p.productType);
      const place = catalogue.get(category, p.symbol)?.pricePlace ?? 2;
      const avg = openPriceAvg(p, place);
      const mark = marks.get(p.symbol);
      const s = st.settings.get(`unified|${p.symbol}`) ?? defaultSettings();
      return {
        category,
        symbol: p.symbol,
        marginCoin: p.marginCoin,
        holdMode,
        posSide: p.holdSide,
        marginMode: p.marginMode,
        positionBalance: p.margin,
        available: p.size,
        frozen: '0',
        total: p.size,
        leverage: p.leverage || s.crossedLeverage,
        curRealisedPnl: p.achievedProfits,
        avgPrice: avg,
        positionStatus: 'normal',
        unrealisedPnl: mark ? unrealisedPnl(p, mark, inverse, LEDGER_SCALE) : '0',
        liquidationPrice: p.marginMode === 'isolated' ? isolatedLiquidationPrice(p, inverse, place) : '0',
        mmr: DEFAULT_MMR,
        profitRate: '0',
        markPrice: mark ?? avg,
        breakEvenPrice: avg,
        totalFunding: '0',
        openFeeTotal: p.totalFee,
        closeFeeTotal: '0',
        createdTime: String(now),
        updatedTime: String(now),
      };
    });
  return { list };
}

/** GET /api/v3/trade/fills[?category][&orderId][&startTime][&endTime][&limit][&cursor]: `{list, cursor}`; `feeDetail: [{feeCoin, fee}]` (fee positive). */
export async function utaFills(uid: string, q: { category?: string; orderId?: string; startTime?: string; endTime?: string; limit?: string; cursor?: string }, engine: Engine) {
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw err(Errors.PARAM_ERROR, 'limit');
  const categories = q.category ? [parseCategory(q.category)] : ['SPOT', 'MARGIN', ...FUTURES_CATEGORIES];
  const trades = await engine.listTrades({
    uid,
    categories,
    orderId: q.orderId || undefined,
    idLessThan: optDigits(q.cursor, 'cursor'),
    startTime: num(optDigits(q.startTime, 'startTime')),
    endTime: num(optDigits(q.endTime, 'endTime')),
    limit,
  });
  const list = trades.map((t) => ({
    execId: t.tradeId,
    execLinkId: t.tradeId,
    orderId: t.orderId,
    clientOid: '',
    category: t.category,
    symbol: t.symbol,
    orderType: 'limit',
    execPrice: t.price,
    execQty: t.size,
    execValue: t.quoteVolume,
    feeDetail: [{ feeCoin: t.feeCoin, fee: t.fee }],
    side: t.side,
    tradeScope: t.liquidity,
    tradeSide: t.tradeSide,
    createdTime: t.cTime,
    updatedTime: t.cTime,
    execPnl: t.realisedPnl,
  }));
  return { list, cursor: trades.length === limit ? trades[trades.length - 1].tradeId : '' };
}

/** GET /api/v3/account/fee-rate?symbol&category: `{symbol, makerFeeRate, takerFeeRate}` of the catalogue. @throws 40020 category / symbol. */
export function utaFeeRate(q: { symbol: string; category: string }, catalogue: Catalogue) {
  const m = catalogue.get(parseCategory(q.category), q.symbol.toUpperCase());
  if (!m) throw err(Errors.PARAM_ERROR, 'symbol');
  return { symbol: m.symbol, makerFeeRate: m.makerFeeRate, takerFeeRate: m.takerFeeRate };
}

/** A checked digits string as a number (undefined stays undefined). */
function num(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}
