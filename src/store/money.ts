/**
 * Row mappings of the money tables (issue 10), shared by both stores: balances, positions,
 * symbol settings, trades. Every amount is a TEXT decimal string in both stores; times are
 * INTEGER (SQLite) / BIGINT (PostgreSQL, read as strings) ms.
 */
import { isOpen } from '../domain/types.js';
import { applyEntries, type LedgerEntry } from '../ledger/balances.js';
import type { HoldSide, Position, SymbolSettings } from '../ledger/positions.js';
import type { BalanceRef, Loaded, MoneyWrites, StoredTrade } from './types.js';

/** A row as either driver returns it (object mode). */
export type MoneyRow = Record<string, unknown>;

/**
 * The balance rows the loaded OPEN orders hold (uid, account, holdCoin of every order with a
 * non-zero `held`), deduplicated: what a cancel unit must lock (LoadSpec.heldBalances).
 */
export function heldRefs(loaded: Loaded): BalanceRef[] {
  const seen = new Map<string, BalanceRef>();
  const add = (orders: Iterable<import('../domain/types.js').Order>) => {
    for (const o of orders) {
      if (!isOpen(o.status) || !o.account || !o.holdCoin || !o.held || /^0+(\.0*)?$/.test(o.held)) continue;
      const k = `${o.uid}|${o.account}|${o.holdCoin}`;
      if (!seen.has(k)) seen.set(k, { uid: o.uid, account: o.account, coin: o.holdCoin });
    }
  };
  add(loaded.byId.values());
  add(loaded.byClientOid.values());
  add(loaded.scoped);
  return [...seen.values()].sort((a, b) => cmpKey(a, b));
}

/** Lock order of balance rows: uid, account, coin (byte order, as the "C" collation sorts). */
export function cmpKey(a: BalanceRef, b: BalanceRef): number {
  const x = `${a.uid}|${a.account}|${a.coin}`;
  const y = `${b.uid}|${b.account}|${b.coin}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A ledger entry (bill) from a `ledger` row, with its id and time (ms) as decimal strings. */
export function entryFromRow(r: MoneyRow): LedgerEntry & { id: string; ts: string } {
  return {
    id: String(r.id),
    ts: String(r.ts),
    uid: r.uid as string,
    account: r.account as string,
    coin: r.coin as string,
    reason: r.reason as LedgerEntry['reason'],
    available: r.available as string,
    frozen: r.frozen as string,
    orderId: r.order_id as string,
    tradeId: r.trade_id as string,
  };
}

/** A position from a `positions` row. */
export function positionFromRow(r: MoneyRow): Position {
  return {
    uid: r.uid as string,
    account: r.account as string,
    productType: r.product_type as Position['productType'],
    symbol: r.symbol as string,
    marginCoin: r.margin_coin as string,
    holdSide: r.hold_side as HoldSide,
    marginMode: r.margin_mode as Position['marginMode'],
    leverage: r.leverage as string,
    size: r.size as string,
    openValue: r.open_value as string,
    margin: r.margin as string,
    achievedProfits: r.achieved_profits as string,
    totalFee: r.total_fee as string,
  };
}

/** Symbol settings from a `symbol_settings` row. */
export function settingsFromRow(r: MoneyRow): SymbolSettings {
  return {
    marginMode: r.margin_mode as SymbolSettings['marginMode'],
    crossedLeverage: r.crossed_leverage as string,
    longLeverage: r.long_leverage as string,
    shortLeverage: r.short_leverage as string,
  };
}

/** A trade from a `trades` row. */
export function tradeFromRow(r: MoneyRow): StoredTrade {
  return {
    tradeId: r.trade_id as string,
    orderId: r.order_id as string,
    uid: r.uid as string,
    category: r.category as StoredTrade['category'],
    symbol: r.symbol as string,
    side: r.side as StoredTrade['side'],
    price: r.price as string,
    size: r.size as string,
    quoteVolume: r.quote_volume as string,
    fee: r.fee as string,
    feeCoin: r.fee_coin as string,
    liquidity: r.liquidity as StoredTrade['liquidity'],
    realisedPnl: r.realised_pnl as string,
    tradeSide: r.trade_side as StoredTrade['tradeSide'],
    cTime: String(r.c_time),
  };
}

/** The money writes of a new account's opening entries (its rows do not exist yet: applied to zero). */
export function openingMoney(entries: LedgerEntry[]): MoneyWrites {
  return { entries, balances: applyEntries(new Map(), entries) };
}
