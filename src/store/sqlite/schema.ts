/**
 * Versioned migrations of the embedded SQLite store. Each entry runs once, in order, inside
 * a transaction; `meta.schema_version` records the last one applied.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE accounts (uid TEXT PRIMARY KEY, mode TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE api_keys (
    api_key TEXT PRIMARY KEY,
    uid TEXT NOT NULL REFERENCES accounts(uid),
    permission TEXT NOT NULL,
    ips TEXT NOT NULL,
    secret_enc TEXT NOT NULL,
    passphrase_hash TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    uid TEXT NOT NULL,
    client_oid TEXT NOT NULL,
    category TEXT NOT NULL,
    margin_mode TEXT,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    order_type TEXT NOT NULL,
    force TEXT NOT NULL,
    price TEXT NOT NULL,
    size TEXT NOT NULL,
    filled_size TEXT NOT NULL,
    filled_quote TEXT NOT NULL,
    status TEXT NOT NULL,
    margin_coin TEXT,
    extra TEXT NOT NULL,
    c_time INTEGER NOT NULL,
    u_time INTEGER NOT NULL,
    cancel_reason TEXT NOT NULL,
    is_open INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX orders_open ON orders (uid, category, symbol) WHERE is_open = 1;
  CREATE UNIQUE INDEX orders_open_client_oid ON orders (uid, client_oid) WHERE is_open = 1 AND client_oid <> '';
  CREATE INDEX orders_client_oid ON orders (uid, client_oid, c_time);
  CREATE INDEX orders_history ON orders (uid, category, order_id);
  INSERT INTO meta (key, value) VALUES ('keys_version', '0');
  `,
  // v2: orders clustered by (uid, order_id). Every cancel, query and cancel-all is per UID, so a
  // UID's orders now share B-tree pages: a batch of 50 touches a few pages instead of ~50, which
  // cuts the pages written (and synced) per commit. order_id stays globally unique (own index).
  `
  CREATE TABLE orders_v2 (
    order_id TEXT NOT NULL,
    uid TEXT NOT NULL,
    client_oid TEXT NOT NULL,
    category TEXT NOT NULL,
    margin_mode TEXT,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    order_type TEXT NOT NULL,
    force TEXT NOT NULL,
    price TEXT NOT NULL,
    size TEXT NOT NULL,
    filled_size TEXT NOT NULL,
    filled_quote TEXT NOT NULL,
    status TEXT NOT NULL,
    margin_coin TEXT,
    extra TEXT NOT NULL,
    c_time INTEGER NOT NULL,
    u_time INTEGER NOT NULL,
    cancel_reason TEXT NOT NULL,
    is_open INTEGER NOT NULL,
    PRIMARY KEY (uid, order_id)
  ) WITHOUT ROWID;
  INSERT INTO orders_v2 (order_id, uid, client_oid, category, margin_mode, symbol, side, order_type, force, price, size,
      filled_size, filled_quote, status, margin_coin, extra, c_time, u_time, cancel_reason, is_open)
    SELECT order_id, uid, client_oid, category, margin_mode, symbol, side, order_type, force, price, size,
      filled_size, filled_quote, status, margin_coin, extra, c_time, u_time, cancel_reason, is_open FROM orders;
  DROP TABLE orders;
  ALTER TABLE orders_v2 RENAME TO orders;
  CREATE UNIQUE INDEX orders_order_id ON orders (order_id);
  CREATE INDEX orders_open ON orders (uid, category, symbol) WHERE is_open = 1;
  CREATE UNIQUE INDEX orders_open_client_oid ON orders (uid, client_oid) WHERE is_open = 1 AND client_oid <> '';
  CREATE INDEX orders_client_oid ON orders (uid, client_oid, c_time);
  CREATE INDEX orders_history ON orders (uid, category, order_id);
  `,
  // v3: the event outbox (issue 9 item 1). One row per committed unit of work: its events as one
  // JSON array, deflated (events/build.ts), under sequences seq..last_seq (a 50-order cancel is
  // one row of ~1 KB, not 50 rows).
  `
  CREATE TABLE events (seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL, ts INTEGER NOT NULL, body BLOB NOT NULL);
  `,
  // v4: kill switches (issue 13, src/switches/): one row per (uid, kind, scope); deadlines live
  // here, not in a timer of one process, so a restarted server still fires an armed countdown.
  `
  CREATE TABLE switches (
    uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    scope_key TEXT NOT NULL,
    category TEXT,
    symbol TEXT,
    armed INTEGER NOT NULL,
    deadline INTEGER,
    window_ms INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    claimed_at INTEGER,
    blocked INTEGER NOT NULL,
    cod_scope TEXT,
    last_fire TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (uid, kind, scope_key)
  );
  CREATE INDEX switches_due ON switches (deadline) WHERE armed = 1;
  CREATE INDEX switches_blocked ON switches (uid) WHERE blocked = 1;
  `,
  // v5: money (issue 10, docs/LEDGER.md): what each order holds, balances, the ledger entries
  // (bills), trades, futures positions, per-symbol leverage / margin mode and posMode.
  `
  ALTER TABLE orders ADD COLUMN account TEXT NOT NULL DEFAULT '';
  ALTER TABLE orders ADD COLUMN held TEXT NOT NULL DEFAULT '0';
  ALTER TABLE orders ADD COLUMN hold_coin TEXT NOT NULL DEFAULT '';
  ALTER TABLE orders ADD COLUMN leverage TEXT NOT NULL DEFAULT '';
  ALTER TABLE orders ADD COLUMN fee TEXT NOT NULL DEFAULT '0';
  ALTER TABLE orders ADD COLUMN fee_coin TEXT NOT NULL DEFAULT '';
  CREATE TABLE balances (
    uid TEXT NOT NULL, account TEXT NOT NULL, coin TEXT NOT NULL,
    available TEXT NOT NULL, frozen TEXT NOT NULL, u_time INTEGER NOT NULL,
    PRIMARY KEY (uid, account, coin)
  ) WITHOUT ROWID;
  CREATE TABLE ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL, account TEXT NOT NULL, coin TEXT NOT NULL, reason TEXT NOT NULL,
    available TEXT NOT NULL, frozen TEXT NOT NULL, order_id TEXT NOT NULL, trade_id TEXT NOT NULL, ts INTEGER NOT NULL
  );
  CREATE INDEX ledger_uid ON ledger (uid, id);
  CREATE TABLE trades (
    trade_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, uid TEXT NOT NULL, category TEXT NOT NULL, symbol TEXT NOT NULL,
    side TEXT NOT NULL, price TEXT NOT NULL, size TEXT NOT NULL, quote_volume TEXT NOT NULL, fee TEXT NOT NULL,
    fee_coin TEXT NOT NULL, liquidity TEXT NOT NULL, realised_pnl TEXT NOT NULL, trade_side TEXT NOT NULL, c_time INTEGER NOT NULL
  );
  CREATE INDEX trades_uid ON trades (uid, category, trade_id);
  CREATE TABLE positions (
    uid TEXT NOT NULL, account TEXT NOT NULL, symbol TEXT NOT NULL, hold_side TEXT NOT NULL,
    product_type TEXT NOT NULL, margin_coin TEXT NOT NULL, margin_mode TEXT NOT NULL, leverage TEXT NOT NULL,
    size TEXT NOT NULL, open_value TEXT NOT NULL, margin TEXT NOT NULL, achieved_profits TEXT NOT NULL, total_fee TEXT NOT NULL,
    u_time INTEGER NOT NULL,
    PRIMARY KEY (uid, account, symbol, hold_side)
  ) WITHOUT ROWID;
  CREATE TABLE symbol_settings (
    uid TEXT NOT NULL, account TEXT NOT NULL, symbol TEXT NOT NULL, margin_mode TEXT NOT NULL,
    crossed_leverage TEXT NOT NULL, long_leverage TEXT NOT NULL, short_leverage TEXT NOT NULL,
    PRIMARY KEY (uid, account, symbol)
  ) WITHOUT ROWID;
  CREATE TABLE pos_modes (uid TEXT NOT NULL, product_type TEXT NOT NULL, pos_mode TEXT NOT NULL, PRIMARY KEY (uid, product_type)) WITHOUT ROWID;
  `,
];
