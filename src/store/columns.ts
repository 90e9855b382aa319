/**
 * The `orders` table, written once for both stores: each column's name, its SQL type in
 * SQLite and in PostgreSQL, and how an {@link Order} field maps to and from it.
 *
 * Both stores build from this table every column list they send (INSERT, SELECT, the
 * PostgreSQL `unnest` casts) and map rows with {@link orderFromValues} /
 * {@link orderToValues}. The migrations (sqlite/schema.ts, postgres/schema.ts) are history
 * and never change once shipped, so they are not generated from it; instead the store contract
 * test (test/store/contract.test.ts) checks that a migrated database of either store has
 * exactly these columns, types and nullability. Adding a column = a new migration per store
 * plus a row here.
 *
 * Value kinds: ids, prices and sizes are TEXT decimal strings (never floats); times are integer
 * ms since epoch (INTEGER / BIGINT), carried in {@link Order} as decimal strings; `extra` is a
 * JSON object text; `is_open` is derived from the status (1/0 in SQLite, BOOLEAN in PostgreSQL)
 * and never read back.
 */
import { isOpen, type Order } from '../domain/types.js';
import type { Condition, Sort } from '../engine/scope.js';

/** How a column's value is encoded (see the module doc). */
export type ColumnKind = 'text' | 'nullable_text' | 'time' | 'json' | 'flag';

/** One column of `orders`. */
export interface OrderColumn {
  /** SQL name (snake_case, the same in both stores). */
  name: string;
  /** The {@link Order} field it holds; undefined for `is_open` (derived from `status`). */
  field?: keyof Order;
  kind: ColumnKind;
  /** SQLite declared type and constraint, as `PRAGMA table_info` reports them. */
  sqlite: { type: 'TEXT' | 'INTEGER'; notNull: boolean };
  /** PostgreSQL type (information_schema `data_type`), nullability and collation ("C" for ids, so 19-digit ids sort numerically). */
  postgres: { type: 'text' | 'bigint' | 'boolean'; notNull: boolean; collateC?: boolean };
}

const text = (name: string, field: keyof Order, collateC = false): OrderColumn => ({
  name,
  field,
  kind: 'text',
  sqlite: { type: 'TEXT', notNull: true },
  postgres: { type: 'text', notNull: true, collateC: collateC || undefined },
});
const nullableText = (name: string, field: keyof Order): OrderColumn => ({
  name,
  field,
  kind: 'nullable_text',
  sqlite: { type: 'TEXT', notNull: false },
  postgres: { type: 'text', notNull: false },
});
const time = (name: string, field: keyof Order): OrderColumn => ({
  name,
  field,
  kind: 'time',
  sqlite: { type: 'INTEGER', notNull: true },
  postgres: { type: 'bigint', notNull: true },
});

/**
 * Every column of `orders`, in table order. The first {@link ORDER_FIELD_COUNT} hold Order
 * fields (read back by {@link orderFromValues}); the last, `is_open`, is derived.
 */
export const ORDER_COLUMNS: readonly OrderColumn[] = [
  text('order_id', 'orderId', true),
  text('uid', 'uid', true),
  text('client_oid', 'clientOid', true),
  text('category', 'category'),
  nullableText('margin_mode', 'marginMode'),
  text('symbol', 'symbol'),
  text('side', 'side'),
  text('order_type', 'orderType'),
  text('force', 'force'),
  text('price', 'price'),
  text('size', 'size'),
  text('filled_size', 'filledSize'),
  text('filled_quote', 'filledQuote'),
  text('status', 'status'),
  nullableText('margin_coin', 'marginCoin'),
  { name: 'extra', field: 'extra', kind: 'json', sqlite: { type: 'TEXT', notNull: true }, postgres: { type: 'text', notNull: true } },
  time('c_time', 'cTime'),
  time('u_time', 'uTime'),
  text('cancel_reason', 'cancelReason'),
  { name: 'is_open', kind: 'flag', sqlite: { type: 'INTEGER', notNull: true }, postgres: { type: 'boolean', notNull: true } },
  // money (issue 10; migrations sqlite v4 / postgres 3): added at the end of the table
  text('account', 'account'),
  text('held', 'held'),
  text('hold_coin', 'holdCoin'),
  text('leverage', 'leverage'),
  text('fee', 'fee'),
  text('fee_coin', 'feeCoin'),
];

/** Index of `is_open` in {@link ORDER_COLUMNS}: the columns before it and after it hold Order fields. */
const OPEN_INDEX = ORDER_COLUMNS.findIndex((c) => c.name === 'is_open');

/** Number of {@link ORDER_COLUMNS} that hold an Order field (all but `is_open`). */
export const ORDER_FIELD_COUNT = ORDER_COLUMNS.length - 1;

/** `order_id, uid, …, cancel_reason, account, …, fee_coin`: the columns an order is read from, in {@link orderFromValues} order. */
export const ORDER_READ_COLUMNS = ORDER_COLUMNS.filter((_, i) => i !== OPEN_INDEX)
  .map((c) => c.name)
  .join(', ');

/** Every column name, in table order (INSERT column lists). */
export const ORDER_WRITE_COLUMNS = ORDER_COLUMNS.map((c) => c.name).join(', ');

/** `extra` is '{}' for most orders: skip JSON.parse for it. */
const parseExtra = (s: string): Record<string, string> => (s === '{}' ? {} : (JSON.parse(s) as Record<string, string>));

/**
 * An {@link Order} from the values of {@link ORDER_READ_COLUMNS}, in that order, as either
 * store returns them: times as numbers (SQLite) or strings (PostgreSQL BIGINT), NULL as null.
 * Written out field by field (not a loop over the table) because it is the hot path of every
 * cancel; the contract test checks it against the table (every field round-trips).
 */
export function orderFromValues(r: readonly unknown[]): Order {
  const o: Order = {
    orderId: r[0] as string,
    uid: r[1] as string,
    clientOid: r[2] as string,
    category: r[3] as Order['category'],
    marginMode: (r[4] as Order['marginMode']) ?? null,
    symbol: r[5] as string,
    side: r[6] as Order['side'],
    orderType: r[7] as Order['orderType'],
    force: r[8] as Order['force'],
    price: r[9] as string,
    size: r[10] as string,
    filledSize: r[11] as string,
    filledQuote: r[12] as string,
    status: r[13] as Order['status'],
    marginCoin: (r[14] as string | null) ?? null,
    extra: parseExtra(r[15] as string),
    cTime: String(r[16]),
    uTime: String(r[17]),
    cancelReason: r[18] as string,
  };
  // an order placed through the ledger has an account; one written without (fixtures, rows
  // migrated from before issue 10) reads back without the money fields (absent = holds nothing)
  if (r[19] !== '' && r[19] !== undefined) {
    o.account = r[19] as string;
    o.held = r[20] as string;
    o.holdCoin = r[21] as string;
    o.leverage = r[22] as string;
    o.fee = r[23] as string;
    o.feeCoin = r[24] as string;
  }
  return o;
}

/** Which store a value is encoded for: they differ only in times and the open flag. */
export type StoreKind = 'sqlite' | 'postgres';

/**
 * The value of every column of {@link ORDER_COLUMNS} for `o`, in table order: times as numbers
 * (SQLite INTEGER) or decimal strings (PostgreSQL BIGINT, kept exact), `is_open` as 1/0 or
 * true/false, `extra` as JSON text. Written out (every placement runs it, and a loop over the
 * table costs twice as much); the contract test checks it equals {@link columnValue} column by column.
 */
export function orderToValues(o: Order, kind: StoreKind): unknown[] {
  const sqlite = kind === 'sqlite';
  return [
    o.orderId,
    o.uid,
    o.clientOid,
    o.category,
    o.marginMode,
    o.symbol,
    o.side,
    o.orderType,
    o.force,
    o.price,
    o.size,
    o.filledSize,
    o.filledQuote,
    o.status,
    o.marginCoin,
    JSON.stringify(o.extra),
    sqlite ? Number(o.cTime) : o.cTime,
    sqlite ? Number(o.uTime) : o.uTime,
    o.cancelReason,
    openFlag(o.status, kind),
    o.account ?? '',
    o.held ?? '0',
    o.holdCoin ?? '',
    o.leverage ?? '',
    o.fee ?? '0',
    o.feeCoin ?? '',
  ];
}

/** The value of one column for `o` (see {@link orderToValues}). */
export function columnValue(c: OrderColumn, o: Order, kind: StoreKind): unknown {
  switch (c.kind) {
    case 'flag':
      return openFlag(o.status, kind);
    case 'time':
      return kind === 'sqlite' ? Number(o[c.field as 'cTime']) : o[c.field as 'cTime'];
    case 'json':
      return JSON.stringify(o[c.field as 'extra']);
    default:
      return c.name in MONEY_DEFAULTS ? (o[c.field as keyof Order] ?? MONEY_DEFAULTS[c.name]) : o[c.field as keyof Order];
  }
}

/** What an order built without money fields stores in them. */
const MONEY_DEFAULTS: Record<string, string> = { account: '', held: '0', hold_coin: '', leverage: '', fee: '0', fee_coin: '' };

/** `is_open` of a status: 1/0 in SQLite, true/false in PostgreSQL. */
export function openFlag(status: Order['status'], kind: StoreKind): number | boolean {
  const open = isOpen(status);
  return kind === 'sqlite' ? (open ? 1 : 0) : open;
}

/** PostgreSQL array type of a column, for `unnest($n::type[])`. */
export function pgArrayType(c: OrderColumn): string {
  return `${c.postgres.type}[]`;
}

/** Column name of a field a selection compares or sorts on. */
const COLUMN_NAME: Record<string, string> = Object.fromEntries(
  ORDER_COLUMNS.filter((c) => c.field).map((c) => [c.field as string, c.name]),
);

/**
 * The SQL condition of a {@link Selection}'s `where` for one store. `param` adds a value and
 * returns its placeholder (`?` for SQLite, `$n` for PostgreSQL). The open condition is written
 * as a literal (`is_open = 1`, `is_open`) so SQLite can use its partial index of open orders.
 */
export function sqlWhere(where: readonly Condition[], kind: StoreKind, param: (v: unknown) => string): string {
  const parts = where.map((c): string => {
    switch (c.op) {
      case 'open':
        return kind === 'sqlite' ? `is_open = ${c.value ? 1 : 0}` : c.value ? 'is_open' : 'NOT is_open';
      case 'eq':
        return `${COLUMN_NAME[c.field]} = ${param(c.value)}`;
      case 'in':
        if (c.values.length === 0) return 'FALSE';
        return kind === 'sqlite'
          ? `${COLUMN_NAME[c.field]} IN (${c.values.map((v) => param(v)).join(', ')})`
          : `${COLUMN_NAME[c.field]} = ANY(${param(c.values)}::text[])`;
      case 'lt':
        return `${COLUMN_NAME[c.field]} < ${param(c.value)}`;
      case 'gte':
        return `${COLUMN_NAME[c.field]} >= ${param(c.value)}`;
      case 'lte':
        return `${COLUMN_NAME[c.field]} <= ${param(c.value)}`;
    }
  });
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

/** The SQL sort keys of `orderBy` (without `ORDER BY`), e.g. `is_open DESC, c_time DESC, order_id DESC`. */
export function sqlOrderBy(orderBy: readonly Sort[]): string {
  return orderBy.map((s) => `${s.by === 'open' ? 'is_open' : COLUMN_NAME[s.by]}${s.desc ? ' DESC' : ''}`).join(', ');
}
