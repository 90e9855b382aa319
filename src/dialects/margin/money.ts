/**
 * Margin money endpoints (issue 10): `GET /api/v2/margin/crossed/account/assets` and
 * `GET /api/v2/margin/isolated/account/assets[?symbol]` (research-venue.md §3.1;
 * DOC:margin/cross/account/Get-Cross-Assets.md). ordergate has no borrowing: `borrow`,
 * `interest`, `coupon` are "0" and `net` = `totalAmount`.
 */
import { add } from '../../domain/decimal.js';
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
