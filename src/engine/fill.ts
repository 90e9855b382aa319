/**
 * Deterministic fills for tests (there are no counterparties yet): move an open order to
 * `partially_filled` or `filled` at its limit price, and settle it (issue 10 item 3): spot and
 * margin move base and quote, futures open/add/reduce/close positions, the fee is charged at
 * the catalogue's MAKER rate (a resting order filled by someone else is the maker), and one
 * trade with its `tradeId` is recorded (src/ledger/settle.ts).
 */
import { BitgetError, Errors, err } from '../domain/errors.js';
import { add, cmp, isDecimalString, isZero, mul, sub } from '../domain/decimal.js';
import { isOpen, type Order } from '../domain/types.js';
import { orderUpdated, positionEvent, tradeEvent } from '../events/build.js';
import type { DomainEvent } from '../events/types.js';
import { settleFuturesFill, settleSpotFill, type TradeRecord } from '../ledger/settle.js';
import type { Position } from '../ledger/positions.js';
import type { Market } from '../markets/catalogue.js';
import type { Loaded, OrderUpdate, StoredTrade, Writes } from '../store/types.js';
import { Book, isFuturesCategory, posModeOf, settingsOf } from './money.js';

/** What settling a fill needs besides the loaded state: the order's market and the new trade's id. */
export interface FillContext {
  market: Market;
  tradeId: string;
}

/**
 * Decides a fill of `size` (default: everything left) on order `orderId`; yields one
 * `order.updated` event (change `fill`, the whole order after) and, for an order placed
 * through the ledger (it has an account), its `trade`, `balance` and `position` events.
 * @throws BitgetError 43001 when the order does not exist, 40020 when the size is not a
 *   positive decimal, exceeds what is left, or would close more than the position holds,
 *   45031-style 40769 when the order is finished.
 */
export function decideFill(
  orderId: string,
  size: string | undefined,
  loaded: Loaded,
  now: string,
  ctx?: FillContext,
): { writes: Writes; result: Order } {
  const o = loaded.byId.get(orderId);
  if (!o) throw err(Errors.SPOT_ORDER_NOT_FOUND);
  if (!isOpen(o.status)) throw err(Errors.MIX_ORDER_FINISHED);
  const left = sub(o.size, o.filledSize);
  const q = size ?? left;
  if (!isDecimalString(q) || isZero(q) || cmp(q, left) > 0) throw err(Errors.FILL_SIZE_INVALID);
  const filledSize = add(o.filledSize, q);
  const filledQuote = add(o.filledQuote, mul(q, o.price || '0'));
  const status = cmp(filledSize, o.size) === 0 ? 'filled' : 'partially_filled';
  const update: OrderUpdate = { orderId, status, filledSize, filledQuote, uTime: now, cancelReason: '' };
  let extraEvents: DomainEvent[] = [];
  let money: Writes['money'];
  if (ctx && o.account && o.price) {
    const settled = settle(o, q, left, loaded, now, ctx);
    update.held = settled.held;
    update.fee = add(o.fee ?? '0', settled.trade.fee);
    update.feeCoin = settled.trade.feeCoin;
    extraEvents = settled.events;
    money = settled.money;
  }
  const event = orderUpdated(o, update, 'fill');
  // the caller gets its own copy: the event's order goes to subscribers
  return { writes: { inserts: [], updates: [update], events: [event, ...extraEvents], money }, result: { ...event.order } };
}

function settle(o: Order, q: string, left: string, loaded: Loaded, now: string, ctx: FillContext) {
  const account = o.account as string;
  const book = new Book(loaded.balances);
  const input = {
    uid: o.uid,
    account,
    orderId: o.orderId,
    tradeId: ctx.tradeId,
    market: ctx.market,
    side: o.side,
    orderType: o.orderType,
    fillSize: q,
    fillPrice: o.price,
    liquidity: 'maker' as const,
    held: o.held ?? '0',
    remaining: left,
  };
  let trade: TradeRecord;
  let held: string;
  let positions: Map<string, Position | null> | undefined;
  try {
    if (isFuturesCategory(o.category)) {
      const settings = settingsOf(loaded, o.uid, account, o.symbol);
      const marginCoin = o.marginCoin ?? ctx.market.marginCoins[0];
      const r = settleFuturesFill({
        ...input,
        productType: o.category,
        marginCoin,
        posMode: posModeOf(loaded, o.uid, o.category),
        marginMode: o.marginMode ?? settings.marginMode,
        leverage: o.leverage || settings.crossedLeverage,
        tradeSide: o.extra.tradeSide === 'close' ? 'close' : o.extra.tradeSide === 'open' ? 'open' : undefined,
        reduceOnly: o.extra.reduceOnly === 'YES',
        positions: loaded.positions ?? new Map(),
        available: book.get(o.uid, account, marginCoin).available,
      });
      book.apply(r.entries);
      trade = r.trade;
      held = r.held;
      positions = r.positions;
    } else {
      const r = settleSpotFill(input);
      book.apply(r.entries);
      trade = r.trade;
      held = r.held;
    }
  } catch (e) {
    if (e instanceof BitgetError) throw e;
    // a reduce-only / closing fill larger than the position (placement does not check it yet)
    throw err(Errors.FILL_SIZE_INVALID);
  }
  const stored: StoredTrade = { ...trade, cTime: now };
  const events: DomainEvent[] = [tradeEvent({ ...stored })];
  for (const [, p] of positions ?? []) if (p) events.push(positionEvent({ ...p }));
  for (const [k, p] of positions ?? []) {
    if (p) continue;
    const [uid, acc, symbol, holdSide] = k.split('|');
    const before = loaded.positions?.get(k);
    events.push(
      positionEvent({
        uid,
        account: acc,
        symbol,
        holdSide,
        productType: before?.productType ?? o.category,
        marginCoin: before?.marginCoin ?? '',
        marginMode: before?.marginMode ?? '',
        leverage: before?.leverage ?? '',
        size: '0',
        openValue: '0',
        margin: '0',
        achievedProfits: before?.achievedProfits ?? '0',
        totalFee: before?.totalFee ?? '0',
      }),
    );
  }
  const fin = book.finish({ trades: [stored], positions });
  return { held, trade, money: fin.money, events: [...events, ...fin.events] };
}
