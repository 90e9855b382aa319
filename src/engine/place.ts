/**
 * Order placement rules: validation against the market catalogue and the order a placement
 * creates. With no counterparties, a limit `gtc`/`post_only` order rests `live`; a market,
 * `ioc` or `fok` order ends `cancelled` at once with nothing filled.
 */
import { BitgetError, Errors, err } from '../domain/errors.js';
import { cmp, isDecimalString, isMultipleOf, isZero, mul, norm, scaleOf } from '../domain/decimal.js';
import type { Category, Force, MarginMode, Order, OrderType, Side } from '../domain/types.js';
import type { Catalogue } from '../markets/catalogue.js';
import { orderCreated } from '../events/build.js';
import type { Loaded, Writes } from '../store/types.js';
import type { DialectPolicy } from './policy.js';
import type { AccountMode } from '../domain/types.js';
import { holdEntries, holdFor } from '../ledger/holds.js';
import { Book, futuresIntent, isFuturesCategory, orderLeverage, orderMoney, posModeOf, settingsOf } from './money.js';

/** A placement in canonical form (what every dialect's place body maps to). */
export interface PlaceCommand {
  uid: string;
  category: Category;
  marginMode: MarginMode | null;
  symbol: string;
  side: Side;
  orderType: OrderType;
  force: Force;
  /** Decimal string; required for limit orders, ignored for market orders. */
  price?: string;
  /** Decimal string: base quantity; quote amount for a spot/margin market buy. */
  size: string;
  clientOid?: string;
  /** Futures: margin coin (upper case). */
  marginCoin?: string;
  extra?: Record<string, string>;
}

/** Result of one placement: the new order's ids, or a Bitget error for this item. */
export type PlaceOutcome =
  | { ok: true; orderId: string; clientOid: string }
  | { ok: false; orderId: string; clientOid: string; code: string; msg: string };

function precision(field: string, value: string, step: string): BitgetError {
  return err(Errors.PRECISION_ERROR, `${field} checkBDScale error value=${value} checkScale=${scaleOf(step.replace(/0+$/, '') || '0')}`);
}

/**
 * Validates a placement against the catalogue (symbol in category, tick size, size step,
 * minimum and maximum size, minimum notional, clientOid form) without touching the store.
 * @throws BitgetError 40019/40020 (missing or malformed field), the dialect's symbol error,
 *   40808 (precision), 43006/43007 (size bounds), 45110 (notional), clientOid errors.
 */
export function validatePlace(cmd: PlaceCommand, catalogue: Catalogue, policy: DialectPolicy): void {
  const market = catalogue.get(cmd.category, cmd.symbol);
  if (!market) throw err(policy.symbolInvalid, cmd.symbol);
  if (cmd.clientOid !== undefined && !policy.clientOidPattern.test(cmd.clientOid)) {
    throw err(policy.clientOidInvalid);
  }
  if (!isDecimalString(cmd.size) || isZero(cmd.size)) throw err(Errors.PARAM_ERROR, 'size');
  const quoteSized = cmd.orderType === 'market' && cmd.side === 'buy' && (cmd.category === 'SPOT' || cmd.category === 'MARGIN');
  if (cmd.orderType === 'limit') {
    if (cmd.price === undefined || cmd.price === '') throw err(Errors.PARAM_EMPTY, 'price');
    if (!isDecimalString(cmd.price) || isZero(cmd.price)) throw err(Errors.PARAM_ERROR, 'price');
    if (!isMultipleOf(cmd.price, market.tickSize)) throw precision('price', cmd.price, market.tickSize);
  }
  if (cmd.marginCoin !== undefined && market.marginCoins.length > 0 && !market.marginCoins.includes(cmd.marginCoin)) {
    throw err(Errors.PARAM_ERROR, 'marginCoin');
  }
  if (quoteSized) {
    if (cmp(cmd.size, market.minNotional) < 0) throw err(Errors.AMOUNT_TOO_SMALL, market.minNotional);
    return;
  }
  if (!isMultipleOf(cmd.size, market.sizeStep)) throw precision('size', cmd.size, market.sizeStep);
  if (cmp(cmd.size, market.minSize) < 0) throw err(Errors.SIZE_TOO_SMALL);
  if (cmp(cmd.size, market.maxSize) > 0) throw err(Errors.SIZE_TOO_LARGE);
  if (cmd.orderType === 'limit' && cmp(mul(cmd.size, cmd.price as string), market.minNotional) < 0) {
    throw err(Errors.AMOUNT_TOO_SMALL, market.minNotional);
  }
}

/** Builds the order a validated placement creates. */
export function buildOrder(cmd: PlaceCommand, orderId: string, now: string): Order {
  const rests = cmd.orderType === 'limit' && (cmd.force === 'gtc' || cmd.force === 'post_only');
  return {
    orderId,
    clientOid: cmd.clientOid ?? '',
    uid: cmd.uid,
    category: cmd.category,
    marginMode: cmd.marginMode,
    symbol: cmd.symbol,
    side: cmd.side,
    orderType: cmd.orderType,
    force: cmd.orderType === 'market' ? 'ioc' : cmd.force,
    price: cmd.orderType === 'limit' && cmd.price ? norm(cmd.price) : '',
    size: norm(cmd.size),
    filledSize: '0',
    filledQuote: '0',
    status: rests ? 'live' : 'cancelled',
    marginCoin: cmd.marginCoin ?? null,
    extra: cmd.extra ?? {},
    cTime: now,
    uTime: now,
    cancelReason: rests ? '' : 'normal_cancel',
  };
}

/** A placement item: a validated command with its pre-assigned id, or a validation error. */
export type PreparedPlace = { cmd: PlaceCommand; orderId: string } | { error: BitgetError; clientOid: string };

/**
 * Decides a batch of validated placements inside the store transaction: rejects a clientOid
 * already used by an open order of the UID (or earlier in the same batch), inserts the rest,
 * each with its `order.created` event.
 */
export function decidePlace(
  items: readonly PreparedPlace[],
  loaded: Loaded,
  policy: DialectPolicy,
  now: string,
  ctx?: PlaceMoneyContext,
): { writes: Writes; result: PlaceOutcome[] } {
  const inserts: Order[] = [];
  const usedHere = new Set<string>();
  const book = new Book(loaded.balances);
  const result = items.map((it): PlaceOutcome => {
    if ('error' in it) return { ok: false, orderId: '', clientOid: it.clientOid, code: it.error.code, msg: it.error.message };
    const coid = it.cmd.clientOid;
    if (coid) {
      const existing = loaded.byClientOid.get(coid);
      if (usedHere.has(coid) || (existing && (existing.status === 'live' || existing.status === 'partially_filled'))) {
        const d = policy.clientOidDuplicate;
        return { ok: false, orderId: '', clientOid: coid, code: d.code, msg: d.msg };
      }
    }
    const order = buildOrder(it.cmd, it.orderId, now);
    if (ctx) {
      try {
        holdOrder(order, loaded, book, ctx);
      } catch (e) {
        if (!(e instanceof BitgetError)) throw e;
        return { ok: false, orderId: '', clientOid: it.cmd.clientOid ?? '', code: e.code, msg: e.message };
      }
    }
    if (coid) usedHere.add(coid); // a clientOid may appear once per batch
    inserts.push(order);
    return { ok: true, orderId: order.orderId, clientOid: order.clientOid };
  });
  const money = book.finish();
  return { writes: { inserts, updates: [], events: [...inserts.map(orderCreated), ...money.events], money: money.money }, result };
}

/** What placement needs to decide holds: the catalogue and the UID's account mode. */
export interface PlaceMoneyContext {
  catalogue: Catalogue;
  accountMode: AccountMode;
}

/**
 * Sets `order`'s money fields and applies its hold to `book` (docs/LEDGER.md "Holds"): a
 * resting order holds (`order_hold`); an order that ends at once (market, ioc, fok) holds
 * nothing but must still be fundable where its cost is known (spot/margin; futures limit).
 * @throws BitgetError 43012 (spot, margin), 40762 (futures), 25202 (unified) when available
 *   is short; the book is then unchanged.
 */
function holdOrder(order: Order, loaded: Loaded, book: Book, ctx: PlaceMoneyContext): void {
  const market = ctx.catalogue.get(order.category, order.symbol);
  if (!market) return; // validated before: cannot happen
  const m = orderMoney(order, market, ctx.accountMode);
  order.account = m.account;
  order.holdCoin = m.holdCoin;
  order.held = '0';
  order.leverage = '';
  order.fee = '0';
  order.feeCoin = '';
  let reducing = false;
  if (isFuturesCategory(order.category)) {
    order.marginCoin = m.marginCoin;
    const intent = futuresIntent(order, posModeOf(loaded, order.uid, order.category));
    reducing = intent.reducing;
    order.leverage = orderLeverage(settingsOf(loaded, order.uid, m.account, order.symbol), order.marginMode, intent.holdSide);
    if (order.orderType === 'market') return; // no price to hold at, and it never rests
  }
  const hold = holdFor(
    { side: order.side, orderType: order.orderType, price: order.price, size: order.size, reducing, leverage: order.leverage || undefined, marginCoin: m.marginCoin },
    market,
  );
  const entries = holdEntries(order.uid, m.account, order.orderId, hold);
  if (order.status === 'live') {
    book.apply(entries);
    order.held = hold.amount;
  } else {
    book.check(entries);
  }
}
