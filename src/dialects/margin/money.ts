/**
 * Margin money endpoints (issue 10): `GET /api/v2/margin/crossed/account/assets` and
 * `GET /api/v2/margin/isolated/account/assets[?symbol]` (research-venue.md §3.1;
 * DOC:margin/cross/account/Get-Cross-Assets.md). ordergate has no borrowing: `borrow`,
 * `interest`, `coupon` are "0" and `net` = `totalAmount`.
 */
import { optDigits } from '../common/parse.js';
import { add, neg } from '../../domain/decimal.js';
import { Errors, err } from '../../domain/errors.js';
import type { Engine } from '../../engine/engine.js';

/** Cross-margin assets: `[{coin, totalAmount, available, frozen, borrow, interest, net, coupon, cTime, uTime}]`. */
export async function crossedAssets(uid: string, q: { coin?: string }, engine: Engine, now: number) {
  const st = await engine.accountState(uid);
  return st.balances
    .filter((b) => b.account === 'crossed' && (!q.coin || b.coin === q.coin.toUpperCase()))
    .map((b) => {
      const total = add(b.available, b.frozen);
      return { coin: b.coin, totalAmount: total, available: b.available, frozen: b.frozen, borrow: '0', interest: '0', net: total, coupon: '0', cTime: String(now), uTime: String(now) };
    });
}

/** Isolated-margin assets, one item per symbol and coin (with `symbol`). */
export async function isolatedAssets(uid: string, q: { symbol?: string }, engine: Engine, now: number) {
  const st = await engine.accountState(uid);
  return st.balances
    .filter((b) => b.account.startsWith('isolated:') && (!q.symbol || b.account === `isolated:${q.symbol.toUpperCase()}`))
    .map((b) => {
      const total = add(b.available, b.frozen);
      return {
        symbol: b.account.slice('isolated:'.length),
        coin: b.coin,
        totalAmount: total,
        available: b.available,
        frozen: b.frozen,
        borrow: '0',
        interest: '0',
        net: total,
        coupon: '0',
        cTime: String(now),
        uTime: String(now),
      };
    });
}

/**
 * GET /api/v2/margin/{crossed|isolated}/fills?symbol[&orderId][&startTime][&endTime][&limit][&idLessThan]:
 * `{fills: [{orderId, tradeId, orderType, side, priceAvg, size, amount, tradeTime, feeDetail}], minId, maxId}`
 * newest first (limit 1..500, default 100); `feeDetail` an OBJECT (no `posMode`, so ccxt reads
 * it as one), fees negative. Only the fills of orders in that margin mode.
 * @throws BitgetError 40020 `Parameter limit error`.
 */
export async function marginFills(
  uid: string,
  mode: 'crossed' | 'isolated',
  q: { symbol?: string; orderId?: string; startTime?: string; endTime?: string; limit?: string; idLessThan?: string },
  engine: Engine,
) {
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw err(Errors.PARAM_ERROR, 'limit');
  const trades = await engine.listTrades({
    uid,
    categories: ['MARGIN'],
    symbol: q.symbol ? q.symbol.toUpperCase() : undefined,
    orderId: q.orderId || undefined,
    idLessThan: optDigits(q.idLessThan, 'idLessThan'),
    startTime: num(optDigits(q.startTime, 'startTime')),
    endTime: num(optDigits(q.endTime, 'endTime')),
    limit: 1000,
  });
  const modes = new Map<string, string | null | undefined>();
  const fills = [];
  for (const t of trades) {
    if (!modes.has(t.orderId)) modes.set(t.orderId, (await engine.getOrder(uid, { orderId: t.orderId }))?.marginMode);
    if (modes.get(t.orderId) !== mode) continue;
    fills.push({
      orderId: t.orderId,
      tradeId: t.tradeId,
      orderType: 'limit',
      side: t.side,
      priceAvg: t.price,
      size: t.size,
      amount: t.quoteVolume,
      tradeTime: t.cTime,
      feeDetail: { deduction: 'no', feeCoin: t.feeCoin, totalDeductionFee: '0', totalFee: t.fee === '0' ? '0' : neg(t.fee) },
    });
    if (fills.length === limit) break;
  }
  return { fills, minId: fills.length ? fills[fills.length - 1].tradeId : '', maxId: fills.length ? fills[0].tradeId : '' };
}

/** A checked digits string as a number (undefined stays undefined). */
function num(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}
