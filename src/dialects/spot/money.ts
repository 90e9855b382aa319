/**
 * Spot money endpoints (issue 10): account assets and fills, as Bitget answers them
 * (research-venue.md §3.1, §3.4; DOC:spot/account/Get-Account-Assets.md, DOC:spot/trade/Get-Fills.md).
 */
import { optDigits } from '../common/parse.js';
import { add, isZero, neg } from '../../domain/decimal.js';
import { Errors, err } from '../../domain/errors.js';
import type { Engine } from '../../engine/engine.js';
import type { StoredTrade } from '../../store/types.js';

/**
 * GET /api/v2/spot/account/assets: `[{coin, available, frozen, locked, limitAvailable, uTime}]`
 * of the classic spot account. `frozen` is what open orders hold; `locked` (Bitget: fiat
 * merchant / other locks) is always "0". `assetType=hold_only` (default) lists coins with a
 * non-zero total, `all` every coin the account has held; `coin` filters one.
 * @throws BitgetError 40020 `Parameter assetType error`.
 */
export async function spotAssets(uid: string, q: { coin?: string; assetType?: string }, engine: Engine, now: number) {
  const type = q.assetType ?? 'hold_only';
  if (type !== 'hold_only' && type !== 'all') throw err(Errors.PARAM_ERROR, 'assetType');
  const st = await engine.accountState(uid);
  return st.balances
    .filter((b) => b.account === 'spot' && (!q.coin || b.coin === q.coin.toUpperCase()) && (type === 'all' || !isZero(add(b.available, b.frozen))))
    .map((b) => ({ coin: b.coin, available: b.available, frozen: b.frozen, locked: '0', limitAvailable: '0', uTime: String(now) }));
}

/**
 * One spot fill as Bitget renders it: `feeDetail` is an OBJECT (ccxt reads it as one and
 * would misread an array), fees negative on the wire, no `posMode`.
 */
export function renderSpotFill(t: StoredTrade) {
  return {
    userId: t.uid,
    symbol: t.symbol,
    orderId: t.orderId,
    tradeId: t.tradeId,
    orderType: 'limit',
    side: t.side,
    priceAvg: t.price,
    size: t.size,
    amount: t.quoteVolume,
    feeDetail: { deduction: 'no', feeCoin: t.feeCoin, totalDeductionFee: '0', totalFee: isZero(t.fee) ? '0' : neg(t.fee) },
    tradeScope: t.liquidity,
    cTime: t.cTime,
    uTime: t.cTime,
  };
}

/**
 * GET /api/v2/spot/trade/fills?symbol[&orderId][&startTime][&endTime][&limit][&idLessThan]:
 * the UID's spot fills, newest first (`data` an array).
 * @throws BitgetError 40020 `Parameter limit error` (1..100).
 */
export async function spotFills(
  uid: string,
  q: { symbol?: string; orderId?: string; startTime?: string; endTime?: string; limit?: string; idLessThan?: string },
  engine: Engine,
) {
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw err(Errors.PARAM_ERROR, 'limit');
  const trades = await engine.listTrades({
    uid,
    categories: ['SPOT'],
    symbol: q.symbol || undefined,
    orderId: q.orderId || undefined,
    idLessThan: optDigits(q.idLessThan, 'idLessThan'),
    startTime: num(optDigits(q.startTime, 'startTime')),
    endTime: num(optDigits(q.endTime, 'endTime')),
    limit,
  });
  return trades.map(renderSpotFill);
}

/**
 * GET /api/v2/common/trade-rate?symbol&businessType (spot | margin | mix; the v2 "common"
 * family, served beside spot): `{makerFeeRate, takerFeeRate}` of the catalogue. For mix the
 * symbol is looked up among the futures categories.
 * @throws BitgetError 40020 `Parameter businessType error` / `Parameter symbol error`.
 */
export function tradeRate(q: { symbol: string; businessType: string }, catalogue: import('../../markets/catalogue.js').Catalogue) {
  const bt = q.businessType.toLowerCase();
  const categories = bt === 'spot' ? (['SPOT'] as const) : bt === 'margin' ? (['MARGIN'] as const) : bt === 'mix' ? (['USDT-FUTURES', 'COIN-FUTURES', 'USDC-FUTURES'] as const) : undefined;
  if (!categories) throw err(Errors.PARAM_ERROR, 'businessType');
  const m = categories.map((c) => catalogue.get(c, q.symbol.toUpperCase())).find((x) => x !== undefined);
  if (!m) throw err(Errors.PARAM_ERROR, 'symbol');
  return { makerFeeRate: m.makerFeeRate, takerFeeRate: m.takerFeeRate };
}

/** Bitget's account types of a transfer (`fromType` / `toType`). */
const TRANSFER_TYPES: Record<string, (coin: string, symbol?: string) => import('../../ledger/accounts.js').AccountKey | undefined> = {
  spot: () => ({ type: 'spot' }),
  usdt_futures: () => ({ type: 'futures', productType: 'USDT-FUTURES', marginCoin: 'USDT' }),
  usdc_futures: () => ({ type: 'futures', productType: 'USDC-FUTURES', marginCoin: 'USDC' }),
  coin_futures: (coin) => ({ type: 'futures', productType: 'COIN-FUTURES', marginCoin: coin }),
  crossed_margin: () => ({ type: 'crossed' }),
  isolated_margin: (_c, symbol) => (symbol ? { type: 'isolated', symbol: symbol.toUpperCase() } : undefined),
};

/**
 * POST /api/v2/spot/wallet/transfer {fromType, toType, amount, coin, symbol?, clientOid?}:
 * between the classic UID's own accounts (`spot`, `usdt_futures`, `usdc_futures`,
 * `coin_futures`, `crossed_margin`, `isolated_margin` with `symbol`); `{transferId, clientOid}`.
 * USDT-M takes only USDT, USDC-M only USDC (40020 `Parameter coin error`).
 * @throws BitgetError 40754 `balance not enough`; 40020 `Parameter fromType/toType/amount/coin error`.
 */
export async function spotTransfer(
  uid: string,
  b: { fromType: string; toType: string; amount: string | number; coin: string; symbol?: string; clientOid?: string },
  engine: Engine,
) {
  const coin = b.coin.toUpperCase();
  const side = (name: 'fromType' | 'toType') => {
    const f = Object.hasOwn(TRANSFER_TYPES, b[name]) ? TRANSFER_TYPES[b[name]] : undefined;
    const k = f?.(coin, b.symbol);
    if (!k) throw err(Errors.PARAM_ERROR, name);
    if (k.type === 'futures' && k.marginCoin !== coin) throw err(Errors.PARAM_ERROR, 'coin');
    return k;
  };
  // a JSON number (ccxt) is read through its shortest decimal form; exponents are refused by the amount check
  const amount = typeof b.amount === 'number' ? String(b.amount) : b.amount;
  const transferId = await engine.transfer(uid, side('fromType'), side('toType'), coin, amount);
  return { transferId, clientOid: b.clientOid ?? '' };
}

/** Bitget `groupType` / `businessType` of a ledger reason (ordergate's mapping; README "Money"). */
const BILL_TYPES: Record<string, [string, string]> = {
  deposit: ['deposit', 'deposit'],
  withdraw: ['withdraw', 'withdraw'],
  transfer_in: ['transfer', 'transfer_in'],
  transfer_out: ['transfer', 'transfer_out'],
  trade: ['trade', 'trade'],
  fee: ['trade', 'fee'],
};

/**
 * GET /api/v2/spot/account/bills[?coin][&groupType][&businessType][&startTime][&endTime][&limit][&idLessThan]:
 * the spot account's ledger entries that changed a total (holds and releases move between
 * available and frozen and are not bills), newest first: `[{billId, coin, groupType,
 * businessType, size, balance, fees, cTime}]`; `balance` is the coin's total after the entry,
 * `fees` "0" (fees are their own bills, businessType `fee`). limit 1..500 (default 100).
 * @throws BitgetError 40020 `Parameter limit error`.
 */
export async function spotBills(
  uid: string,
  q: { coin?: string; groupType?: string; businessType?: string; startTime?: string; endTime?: string; limit?: string; idLessThan?: string },
  engine: Engine,
) {
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw err(Errors.PARAM_ERROR, 'limit');
  const idLessThan = optDigits(q.idLessThan, 'idLessThan');
  const startTime = optDigits(q.startTime, 'startTime');
  const endTime = optDigits(q.endTime, 'endTime');
  const st = await engine.accountState(uid);
  const totals = new Map(st.balances.filter((b) => b.account === 'spot').map((b) => [b.coin, add(b.available, b.frozen)]));
  const entries = await engine.store.listEntries(uid, 10_000, 'spot');
  const out = [];
  for (const e of entries) {
    // walking back from now: the total after this entry, then before it
    const after = totals.get(e.coin) ?? '0';
    const size = add(e.available, e.frozen);
    totals.set(e.coin, add(after, neg(size)));
    const types = BILL_TYPES[e.reason];
    if (!types || isZero(size)) continue;
    if (q.coin && e.coin !== q.coin.toUpperCase()) continue;
    if (q.groupType && types[0] !== q.groupType) continue;
    if (q.businessType && types[1] !== q.businessType) continue;
    if (idLessThan && BigInt(e.id) >= BigInt(idLessThan)) continue;
    if (startTime && Number(e.ts) < Number(startTime)) continue;
    if (endTime && Number(e.ts) > Number(endTime)) continue;
    out.push({ billId: e.id, coin: e.coin, groupType: types[0], businessType: types[1], size, balance: after, fees: '0', cTime: e.ts });
    if (out.length === limit) break;
  }
  return out;
}

/** A checked digits string as a number (undefined stays undefined). */
function num(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}
