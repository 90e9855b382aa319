/**
 * Versioned migrations of the PostgreSQL store. Entry `i` is schema version `i + 1`; each runs
 * once, in order, inside the migration transaction, and `schema_migrations` records it.
 *
 * Tables and column names are the SQLite store's (src/store/sqlite/schema.ts), so both stores
 * hold the same data: ids, prices and sizes are TEXT (decimal strings, never floats); times are
 * BIGINT ms since epoch; ids use the "C" collation so 19-digit order ids sort numerically.
 *
 * Never edit an entry that has shipped: append a new one.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: the initial schema
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE accounts (uid TEXT COLLATE "C" PRIMARY KEY, mode TEXT NOT NULL, created_at BIGINT NOT NULL);
  CREATE TABLE api_keys (
    api_key TEXT COLLATE "C" PRIMARY KEY,
    uid TEXT COLLATE "C" NOT NULL REFERENCES accounts(uid),
    permission TEXT NOT NULL,
    ips TEXT NOT NULL,
    secret_enc TEXT NOT NULL,
    passphrase_hash TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE TABLE orders (
    order_id TEXT COLLATE "C" PRIMARY KEY,
    uid TEXT COLLATE "C" NOT NULL,
    client_oid TEXT COLLATE "C" NOT NULL,
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
    c_time BIGINT NOT NULL,
    u_time BIGINT NOT NULL,
    cancel_reason TEXT NOT NULL,
    is_open BOOLEAN NOT NULL
  );
  CREATE INDEX orders_open ON orders (uid, category, symbol) WHERE is_open;
  CREATE UNIQUE INDEX orders_open_client_oid ON orders (uid, client_oid) WHERE is_open AND client_oid <> '';
  CREATE INDEX orders_client_oid ON orders (uid, client_oid, c_time);
  CREATE INDEX orders_history ON orders (uid, category, order_id);
  CREATE SEQUENCE instance_seq;
  INSERT INTO meta (key, value) VALUES ('keys_version', '0');
  `,
  // 2: the event outbox (issue 9 item 1): one row per committed unit (its events as a deflated
  // JSON array, events/build.ts, under sequences seq..last_seq); event_seq is the one-row counter that assigns sequences in
  // commit order (updated as a unit's last statement, so its row lock is held only to COMMIT).
  `
  CREATE TABLE events (seq BIGINT PRIMARY KEY, last_seq BIGINT NOT NULL, ts BIGINT NOT NULL, body BYTEA NOT NULL);
  CREATE TABLE event_seq (one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one), n BIGINT NOT NULL);
  INSERT INTO event_seq (n) VALUES (0);
  `,
  // 3: kill switches (issue 13, src/switches/): one row per (uid, kind, scope); deadlines live
  // here, shared by every instance (the sweeper claims due rows with FOR UPDATE SKIP LOCKED).
  `
  CREATE TABLE switches (
    uid TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    scope_key TEXT COLLATE "C" NOT NULL,
    category TEXT,
    symbol TEXT,
    armed BOOLEAN NOT NULL,
    deadline BIGINT,
    window_ms BIGINT NOT NULL,
    generation BIGINT NOT NULL,
    claimed_at BIGINT,
    blocked BOOLEAN NOT NULL,
    cod_scope TEXT,
    last_fire TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (uid, kind, scope_key)
  );
  CREATE INDEX switches_due ON switches (deadline) WHERE armed;
  CREATE INDEX switches_blocked ON switches (uid) WHERE blocked;
  `,
  // 4: money (issue 10, docs/LEDGER.md): what each order holds, balances, the ledger entries
  // (bills), trades, futures positions, per-symbol leverage / margin mode and posMode.
  `
  ALTER TABLE orders ADD COLUMN account TEXT NOT NULL DEFAULT '';
  ALTER TABLE orders ADD COLUMN held TEXT NOT NULL DEFAULT '0';
  ALTER TABLE orders ADD COLUMN hold_coin TEXT NOT NULL DEFAULT '';
  ALTER TABLE orders ADD COLUMN leverage TEXT NOT NULL DEFAULT '';
  ALTER TABLE orders ADD COLUMN fee TEXT NOT NULL DEFAULT '0';
  ALTER TABLE orders ADD COLUMN fee_coin TEXT NOT NULL DEFAULT '';
  CREATE TABLE balances (
    uid TEXT COLLATE "C" NOT NULL, account TEXT COLLATE "C" NOT NULL, coin TEXT COLLATE "C" NOT NULL,
    available TEXT NOT NULL, frozen TEXT NOT NULL, u_time BIGINT NOT NULL,
    PRIMARY KEY (uid, account, coin)
  );
  CREATE TABLE ledger (
    id BIGSERIAL PRIMARY KEY,
    uid TEXT COLLATE "C" NOT NULL, account TEXT NOT NULL, coin TEXT NOT NULL, reason TEXT NOT NULL,
    available TEXT NOT NULL, frozen TEXT NOT NULL, order_id TEXT NOT NULL, trade_id TEXT NOT NULL, ts BIGINT NOT NULL
  );
  CREATE INDEX ledger_uid ON ledger (uid, id);
  CREATE TABLE trades (
    trade_id TEXT COLLATE "C" PRIMARY KEY, order_id TEXT COLLATE "C" NOT NULL, uid TEXT COLLATE "C" NOT NULL, category TEXT NOT NULL,
    symbol TEXT NOT NULL, side TEXT NOT NULL, price TEXT NOT NULL, size TEXT NOT NULL, quote_volume TEXT NOT NULL, fee TEXT NOT NULL,
    fee_coin TEXT NOT NULL, liquidity TEXT NOT NULL, realised_pnl TEXT NOT NULL, trade_side TEXT NOT NULL, c_time BIGINT NOT NULL
  );
  CREATE INDEX trades_uid ON trades (uid, category, trade_id);
  CREATE TABLE positions (
    uid TEXT COLLATE "C" NOT NULL, account TEXT COLLATE "C" NOT NULL, symbol TEXT COLLATE "C" NOT NULL, hold_side TEXT COLLATE "C" NOT NULL,
    product_type TEXT NOT NULL, margin_coin TEXT NOT NULL, margin_mode TEXT NOT NULL, leverage TEXT NOT NULL,
    size TEXT NOT NULL, open_value TEXT NOT NULL, margin TEXT NOT NULL, achieved_profits TEXT NOT NULL, total_fee TEXT NOT NULL,
    u_time BIGINT NOT NULL,
    PRIMARY KEY (uid, account, symbol, hold_side)
  );
  CREATE TABLE symbol_settings (
    uid TEXT COLLATE "C" NOT NULL, account TEXT COLLATE "C" NOT NULL, symbol TEXT COLLATE "C" NOT NULL, margin_mode TEXT NOT NULL,
    crossed_leverage TEXT NOT NULL, long_leverage TEXT NOT NULL, short_leverage TEXT NOT NULL,
    PRIMARY KEY (uid, account, symbol)
  );
  CREATE TABLE pos_modes (uid TEXT COLLATE "C" NOT NULL, product_type TEXT COLLATE "C" NOT NULL, pos_mode TEXT NOT NULL, PRIMARY KEY (uid, product_type));
  `,
];

/** The unique index that catches two concurrent placements of one open clientOid. */
export const OPEN_CLIENT_OID_INDEX = 'orders_open_client_oid';
