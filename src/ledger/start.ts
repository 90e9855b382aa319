/**
 * The start balance (issue 10 item 6): what every new UID is credited at account creation,
 * from `ORDERGATE_START_BALANCE` (`USDT=100000,BTC=2`; src/config.ts).
 *
 * ordergate's choice (Bitget has no such thing; README "Money"): so that a new user's bot can
 * trade at once in every account type, each coin is deposited into every account of the UID
 * that can hold it:
 * - unified UID: the `unified` account;
 * - classic UID: `spot`; `crossed` margin; `isolated:SYMBOL` for each margin-enabled symbol of
 *   the catalogue whose base or quote is the coin; the USDT-M account for USDT, the USDC-M
 *   account for USDC, and a COIN-M account for each coin some COIN-M contract margins in.
 * Each credit is a `deposit` entry, so money conservation counts it like any deposit.
 */
import type { AccountMode } from '../domain/types.js';
import type { Catalogue } from '../markets/catalogue.js';
import type { AccountKey } from './accounts.js';
import { depositEntries, parseStartBalance, type LedgerEntry } from './balances.js';

/** The accounts of a UID that can hold `coin` (see the module doc). */
export function startAccounts(mode: AccountMode, coin: string, catalogue: Catalogue): AccountKey[] {
  if (mode === 'unified') return [{ type: 'unified' }];
  const out: AccountKey[] = [{ type: 'spot' }, { type: 'crossed' }];
  for (const m of catalogue.all) {
    if (m.category === 'MARGIN' && (m.baseCoin === coin || m.quoteCoin === coin)) out.push({ type: 'isolated', symbol: m.symbol });
  }
  if (coin === 'USDT') out.push({ type: 'futures', productType: 'USDT-FUTURES', marginCoin: 'USDT' });
  if (coin === 'USDC') out.push({ type: 'futures', productType: 'USDC-FUTURES', marginCoin: 'USDC' });
  if (catalogue.all.some((m) => m.category === 'COIN-FUTURES' && m.marginCoins.includes(coin))) {
    out.push({ type: 'futures', productType: 'COIN-FUTURES', marginCoin: coin });
  }
  return out;
}

/**
 * The opening entries function a store calls when it creates an account.
 * @throws Error at startup when the spec is malformed (names the bad item).
 */
export function startBalanceOpening(spec: string, catalogue: Catalogue): ((uid: string, mode: AccountMode) => LedgerEntry[]) | undefined {
  const coins = parseStartBalance(spec);
  if (coins.length === 0) return undefined;
  return (uid, mode) => coins.flatMap(({ coin, amount }) => startAccounts(mode, coin, catalogue).flatMap((a) => depositEntries(uid, a, coin, amount)));
}
