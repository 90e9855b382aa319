/**
 * Balances and the ledger entries (Bitget's "bills") that change them (issue 10 item 1).
 *
 * A balance is `{available, frozen}` per (uid, account, coin): `available` is what the UID may
 * spend or transfer, `frozen` is what its open orders hold (Bitget's spot `frozen`, futures
 * `locked`, UTA `locked`). Both are non-negative decimal strings. Nothing changes a balance but
 * an entry; every entry carries a reason and signed deltas on both fields, so a balance is the
 * replay of its entries from zero (exchange-core style event sourcing). Position margin is not
 * part of a balance: it moves into a position (reason `position_margin`) and back on close, so
 * `frozen == sum of the holds of open orders` stays exact.
 *
 * Amounts are at the coin's ledger scale ({@link LEDGER_SCALE} decimals unless the caller gives
 * a per-coin scale): fees and margins are rounded to it by src/ledger/fees.ts and holds.ts;
 * quantities the catalogue produces (price tick x size step) already fit.
 */
import { add, cmp, isNegative, isZero, norm } from '../domain/decimal.js';
import { Errors, err, type BitgetError } from '../domain/errors.js';
import { accountFamily, accountId as accountIdOf, parseAccountId, type AccountKey } from './accounts.js';

/**
 * Decimals every coin's ledger amounts are kept at unless a per-coin scale is configured.
 * Bitget shows balances to 8 decimals for the coins ordergate lists; a price tick x size step
 * of the default catalogue (0.01 x 0.000001) fits exactly.
 */
export const LEDGER_SCALE = 8;

/** Per-coin ledger scale (decimals); coins not listed use {@link LEDGER_SCALE}. */
export type CoinScales = Readonly<Record<string, number>>;

/** The ledger scale of `coin`. */
export function coinScale(coin: string, scales?: CoinScales): number {
  return scales?.[coin] ?? LEDGER_SCALE;
}

/** One coin's balance in one account: non-negative decimal strings. */
export interface Balance {
  available: string;
  frozen: string;
}

/** Why an entry was written. Bitget's bill `businessType` is derived from it by the renderer. */
export type EntryReason =
  | 'deposit'
  | 'withdraw'
  | 'transfer_in'
  | 'transfer_out'
  /** available -> frozen when an order is placed. */
  | 'order_hold'
  /** frozen -> available when an order is cancelled, or the unused part of a hold on a fill. */
  | 'order_release'
  /** a fill's base/quote movement (spot, margin), including consuming the order's hold. */
  | 'trade'
  /** a trading fee (negative available). */
  | 'fee'
  /** futures: margin moving into a position (negative) or back out of it (positive). */
  | 'position_margin'
  /** futures: profit or loss realised by reducing or closing a position. */
  | 'realised_pnl'
  /** futures funding fee (not generated yet; reserved so replay stays stable). */
  | 'funding';

/**
 * One ledger entry (bill). `available` and `frozen` are SIGNED decimal deltas ("-12.5", "0");
 * `account` is the canonical account id (src/ledger/accounts.ts `accountId`). `orderId` /
 * `tradeId` link the entry to what caused it ('' when nothing did).
 */
export interface LedgerEntry {
  uid: string;
  account: string;
  coin: string;
  reason: EntryReason;
  available: string;
  frozen: string;
  orderId: string;
  tradeId: string;
}

/** The key a balance is stored under: `uid|account|coin`. */
export function balanceKey(uid: string, account: string, coin: string): string {
  return `${uid}|${account}|${coin}`;
}

/** Balances by {@link balanceKey}. A missing key is a zero balance. */
export type BalanceBook = ReadonlyMap<string, Balance>;

const ZERO: Balance = Object.freeze({ available: '0', frozen: '0' });

/** The balance at `key`, zero when there is none. */
export function balanceOf(book: BalanceBook, uid: string, account: string, coin: string): Balance {
  return book.get(balanceKey(uid, account, coin)) ?? ZERO;
}

/**
 * The insufficient-balance error of an account: 43012 `Insufficient balance` (spot, margin),
 * 40762 `The order amount exceeds the balance` (futures), 25202 `Insufficient balance`
 * (unified), 40754 `balance not enough` for a transfer or withdrawal (reference §3.3).
 */
export function insufficientError(account: AccountKey, reason?: EntryReason): BitgetError {
  if (reason === 'transfer_out' || reason === 'withdraw') return err(Errors.BALANCE_NOT_ENOUGH);
  switch (accountFamily(account)) {
    case 'futures':
      return err(Errors.INSUFFICIENT_BALANCE_MIX);
    case 'unified':
      return err(Errors.INSUFFICIENT_BALANCE_UTA);
    default:
      return err(Errors.INSUFFICIENT_BALANCE_SPOT);
  }
}

/**
 * Applies `entries` in order to `book` and returns the new book; `book` is not modified, so a
 * refusal changes nothing (the unit aborts). Entries of one (uid, account, coin) are applied
 * one after the other: an entry may rely on one before it (a release then a fee).
 * @throws BitgetError from {@link insufficientError} (43012 / 40762 / 25202 / 40754) when an
 *   entry would leave `available` or `frozen` negative.
 */
export function applyEntries(book: BalanceBook, entries: readonly LedgerEntry[]): Map<string, Balance> {
  const next = new Map(book);
  for (const e of entries) {
    const key = balanceKey(e.uid, e.account, e.coin);
    const cur = next.get(key) ?? ZERO;
    const available = add(cur.available, e.available);
    const frozen = add(cur.frozen, e.frozen);
    if (isNegative(available) || isNegative(frozen)) throw insufficientError(parseAccountId(e.account), e.reason);
    next.set(key, { available: norm(available), frozen: norm(frozen) });
  }
  return next;
}

/** Builds an entry; zero deltas are written as '0'. */
export function entry(
  uid: string,
  account: string,
  coin: string,
  reason: EntryReason,
  available: string,
  frozen: string,
  ref: { orderId?: string; tradeId?: string } = {},
): LedgerEntry {
  return { uid, account, coin, reason, available: norm(available), frozen: norm(frozen), orderId: ref.orderId ?? '', tradeId: ref.tradeId ?? '' };
}

/** Drops entries whose two deltas are both zero (a hold of 0 on a close order, a fee of 0). */
export function nonZero(entries: readonly LedgerEntry[]): LedgerEntry[] {
  return entries.filter((e) => !isZero(e.available) || !isZero(e.frozen));
}

/** A balance as Bitget totals it: available + frozen. */
export function total(b: Balance): string {
  return add(b.available, b.frozen);
}

/** True when `b` can spend `amount` from available. */
export function canSpend(b: Balance, amount: string): boolean {
  return cmp(b.available, amount) >= 0;
}

/** Checks a user-given amount: a positive decimal string with at most the coin's scale decimals. */
function checkAmount(amount: string, coin: string, scales?: CoinScales): void {
  if (!/^\d{1,30}(\.\d{1,20})?$/.test(amount) || isZero(amount) || scaleOfAmount(amount) > coinScale(coin, scales)) {
    throw err(Errors.PARAM_ERROR, 'amount');
  }
}

function scaleOfAmount(a: string): number {
  const n = norm(a);
  const dot = n.indexOf('.');
  return dot < 0 ? 0 : n.length - dot - 1;
}

/**
 * The entry of a deposit (`ordergate deposit`, `POST /admin/deposit`, the start balance).
 * @throws BitgetError 40020 `Parameter amount error` when amount is not a positive decimal at
 *   the coin's scale.
 */
export function depositEntries(uid: string, account: AccountKey, coin: string, amount: string, scales?: CoinScales): LedgerEntry[] {
  checkAmount(amount, coin, scales);
  return [entry(uid, accountIdOf(account), coin, 'deposit', amount, '0')];
}

/**
 * The entry of a withdrawal from available.
 * @throws BitgetError 40020 for a bad amount; applying it beyond available raises 40754.
 */
export function withdrawEntries(uid: string, account: AccountKey, coin: string, amount: string, scales?: CoinScales): LedgerEntry[] {
  checkAmount(amount, coin, scales);
  return [entry(uid, accountIdOf(account), coin, 'withdraw', '-' + norm(amount), '0')];
}

/**
 * The two entries of a transfer between two accounts of one UID (`POST /api/v2/spot/wallet/transfer`):
 * `transfer_out` from `from`'s available, `transfer_in` to `to`'s available.
 * @throws BitgetError 40020 for a bad amount or `from` equal to `to`; applying it beyond
 *   available raises 40754 `balance not enough`.
 */
export function transferEntries(uid: string, from: AccountKey, to: AccountKey, coin: string, amount: string, scales?: CoinScales): LedgerEntry[] {
  checkAmount(amount, coin, scales);
  const a = accountIdOf(from);
  const b = accountIdOf(to);
  if (a === b) throw err(Errors.PARAM_ERROR, 'toType');
  return [entry(uid, a, coin, 'transfer_out', '-' + norm(amount), '0'), entry(uid, b, coin, 'transfer_in', amount, '0')];
}

/**
 * Reads a start balance such as `ORDERGATE_START_BALANCE=USDT=100000,BTC=2` into
 * `[{coin, amount}]` (coins upper-cased, order kept). '' gives []. Each amount must be a
 * positive decimal at the coin's scale; a coin may appear once.
 * @throws Error naming the bad item (a configuration error, reported at startup)
 */
export function parseStartBalance(spec: string, scales?: CoinScales): { coin: string; amount: string }[] {
  const out: { coin: string; amount: string }[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const m = /^([A-Za-z0-9]{1,20})=(\S+)$/.exec(item);
    if (!m) throw new Error(`start balance: expected COIN=AMOUNT, got ${JSON.stringify(item)}`);
    const coin = m[1].toUpperCase();
    try {
      checkAmount(m[2], coin, scales);
    } catch {
      throw new Error(`start balance: bad amount for ${coin}: ${JSON.stringify(m[2])}`);
    }
    if (out.some((x) => x.coin === coin)) throw new Error(`start balance: ${coin} given twice`);
    out.push({ coin, amount: norm(m[2]) });
  }
  return out;
}
