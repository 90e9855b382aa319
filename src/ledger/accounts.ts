/**
 * Account keys: which of a UID's Bitget accounts a balance lives in (issue 10 item 1).
 *
 * Bitget keeps one balance set per account: the classic spot account; one futures account per
 * productType and marginCoin (USDT-M settles in USDT, USDC-M in USDC, COIN-M one per margin
 * coin: BTC, ETH, ...); the cross-margin account; one isolated-margin account per symbol; and,
 * for a unified (v3, UTA) UID, the single unified account that every category trades against.
 * (research-venue.md §3.1/§3.5: `/api/v2/spot/account/assets`, `/api/v2/mix/account/accounts`
 * per productType, `/api/v2/margin/{crossed|isolated}/account/assets`, `/api/v3/account/assets`.)
 *
 * An {@link AccountKey} is a struct; {@link accountId} renders it as the one canonical string
 * the store keys balances by; {@link parseAccountId} reads it back; {@link parseAccountName}
 * reads the CLI/admin names (`spot|usdt-futures|coin-futures|usdc-futures|crossed|isolated:SYMBOL|unified`).
 */
import { Errors, err } from '../domain/errors.js';
import type { AccountMode, Category, MarginMode } from '../domain/types.js';

/** A futures productType (v2 `productType`, v3 `category`). */
export type FuturesProductType = 'USDT-FUTURES' | 'COIN-FUTURES' | 'USDC-FUTURES';

/** One account of one UID. `marginCoin` and `symbol` are upper case (BTC, BTCUSDT). */
export type AccountKey =
  | { readonly type: 'spot' }
  | { readonly type: 'futures'; readonly productType: FuturesProductType; readonly marginCoin: string }
  | { readonly type: 'crossed' }
  | { readonly type: 'isolated'; readonly symbol: string }
  | { readonly type: 'unified' };

/** Where an insufficient-balance error comes from: decides the Bitget code (43012, 40762, 25202). */
export type AccountFamily = 'spot' | 'futures' | 'margin' | 'unified';

const PRODUCT_NAMES: Record<string, FuturesProductType> = {
  'usdt-futures': 'USDT-FUTURES',
  'coin-futures': 'COIN-FUTURES',
  'usdc-futures': 'USDC-FUTURES',
};

/** The settle coin a productType forces (USDT-M: USDT, USDC-M: USDC); COIN-M: none (one account per coin). */
export function fixedMarginCoin(productType: FuturesProductType): string | null {
  return productType === 'USDT-FUTURES' ? 'USDT' : productType === 'USDC-FUTURES' ? 'USDC' : null;
}

const COIN_RE = /^[A-Z0-9]{1,20}$/;
const SYMBOL_RE = /^[A-Z0-9]{2,30}$/;

/**
 * The canonical string of an account: `spot`, `futures:USDT-FUTURES:USDT`,
 * `futures:COIN-FUTURES:BTC`, `crossed`, `isolated:BTCUSDT`, `unified`. Stable: stores key rows by it.
 */
export function accountId(key: AccountKey): string {
  switch (key.type) {
    case 'futures':
      return `futures:${key.productType}:${key.marginCoin}`;
    case 'isolated':
      return `isolated:${key.symbol}`;
    default:
      return key.type;
  }
}

/**
 * Reads a canonical account string written by {@link accountId}.
 * @throws Error on anything else (store data, never user input).
 */
export function parseAccountId(id: string): AccountKey {
  if (id === 'spot' || id === 'crossed' || id === 'unified') return { type: id };
  const parts = id.split(':');
  if (parts[0] === 'isolated' && parts.length === 2 && SYMBOL_RE.test(parts[1])) return { type: 'isolated', symbol: parts[1] };
  if (parts[0] === 'futures' && parts.length === 3 && COIN_RE.test(parts[2])) {
    const pt = parts[1] as FuturesProductType;
    if (pt === 'USDT-FUTURES' || pt === 'COIN-FUTURES' || pt === 'USDC-FUTURES') return { type: 'futures', productType: pt, marginCoin: parts[2] };
  }
  throw new Error(`invalid account id ${JSON.stringify(id)}`);
}

/**
 * Reads an account name as the CLI (`ordergate deposit --account`) and `POST /admin/deposit`
 * take it: `spot | usdt-futures | coin-futures | usdc-futures | crossed | isolated:SYMBOL | unified`
 * (case-insensitive). A futures name needs the coin: USDT-M accepts only USDT, USDC-M only USDC,
 * COIN-M takes the coin as its margin coin (one COIN-M account per coin, as Bitget keeps them).
 * @param name the account name; undefined means `spot`
 * @param coin the coin being credited (upper case)
 * @throws BitgetError 40020 `Parameter account error` for an unknown name, a malformed symbol
 *   or a coin the futures account cannot hold.
 */
export function parseAccountName(name: string | undefined, coin: string): AccountKey {
  const n = (name ?? 'spot').trim().toLowerCase();
  if (n === 'spot' || n === 'crossed' || n === 'unified') return { type: n };
  if (n.startsWith('isolated:')) {
    const symbol = n.slice('isolated:'.length).toUpperCase();
    if (!SYMBOL_RE.test(symbol)) throw err(Errors.PARAM_ERROR, 'account');
    return { type: 'isolated', symbol };
  }
  const productType = PRODUCT_NAMES[n];
  if (!productType || !COIN_RE.test(coin)) throw err(Errors.PARAM_ERROR, 'account');
  const fixed = fixedMarginCoin(productType);
  if (fixed !== null && fixed !== coin) throw err(Errors.PARAM_ERROR, 'account');
  return { type: 'futures', productType, marginCoin: coin };
}

/** The CLI/admin name of an account (inverse of {@link parseAccountName} up to the coin). */
export function accountName(key: AccountKey): string {
  switch (key.type) {
    case 'futures':
      return key.productType.toLowerCase();
    case 'isolated':
      return `isolated:${key.symbol}`;
    default:
      return key.type;
  }
}

/** Which error family an account belongs to. */
export function accountFamily(key: AccountKey): AccountFamily {
  switch (key.type) {
    case 'spot':
      return 'spot';
    case 'futures':
      return 'futures';
    case 'unified':
      return 'unified';
    default:
      return 'margin';
  }
}

/** What decides an order's account: its category, margin mode, symbol and margin coin, and the UID's account mode. */
export interface OrderAccountInput {
  accountMode: AccountMode;
  category: Category;
  marginMode: MarginMode | null;
  symbol: string;
  marginCoin: string | null;
}

/**
 * The account an order trades against. Unified UIDs: always `unified` (Bitget's UTA holds every
 * category's funds in one account). Classic: SPOT -> spot; MARGIN -> crossed or isolated:SYMBOL
 * by the order's marginMode; futures -> futures:productType:marginCoin.
 * @throws Error when a futures order has no marginCoin or a margin order no marginMode (the
 *   route validates both before this is called).
 */
export function accountForOrder(o: OrderAccountInput): AccountKey {
  if (o.accountMode === 'unified') return { type: 'unified' };
  switch (o.category) {
    case 'SPOT':
      return { type: 'spot' };
    case 'MARGIN':
      if (o.marginMode === 'crossed') return { type: 'crossed' };
      if (o.marginMode === 'isolated') return { type: 'isolated', symbol: o.symbol };
      throw new Error('margin order without marginMode');
    default:
      if (!o.marginCoin) throw new Error('futures order without marginCoin');
      return { type: 'futures', productType: o.category, marginCoin: o.marginCoin };
  }
}
