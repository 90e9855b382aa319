/**
 * The shared store: PostgreSQL through a node-postgres Pool, so several ordergate processes
 * can serve one set of accounts, keys and orders.
 *
 * A unit of work ({@link PostgresStore.execute}) is one READ COMMITTED transaction:
 *   BEGIN; SELECT … ORDER BY order_id FOR UPDATE (the ids, the open orders of the clientOids,
 *   the open orders of the scope, in ONE statement so locks are always taken in order_id
 *   order); the newest closed order of each clientOid not found open (closed orders never
 *   change, so they need no lock); decide (pure, synchronous, the engine's rules);
 *   one INSERT … SELECT FROM unnest(…) and one UPDATE … FROM unnest(…); COMMIT.
 * Two instances cancelling overlapping batches therefore queue on the row locks; the second
 * sees the first's committed result and reports those orders as finished. A row cancelled
 * while we waited for its lock drops out of the open-order conditions (PostgreSQL re-checks
 * them on the newest row version), exactly as if the other cancel had run first.
 *
 * Retries (the decision is pure, so re-running a unit is safe): serialization failures and
 * deadlocks (SQLSTATE 40001, 40P01) up to 4 attempts; a violation of the open-clientOid unique
 * index (two instances placing the same clientOid at once) once, after which decide sees the
 * other order and answers the dialect's "clientOid duplicate" code instead of a 5xx.
 *
 * A unit whose BEGIN fails on a dead pooled connection (PostgreSQL just restarted), and a read
 * whose connection fails, run once more on a fresh connection: nothing had been applied.
 *
 * Faults: every connection, timeout or server error surfaces as BitgetError 40015
 * "System is abnormal, please try again later" (HTTP 500). Nothing hangs: connecting waits at
 * most `connectTimeoutMs`, statements `statementTimeoutMs` (server side) and
 * `queryTimeoutMs` (client side), row locks `lockTimeoutMs`. A failed transaction is rolled
 * back whole, so a batch is never half applied; broken connections are dropped from the pool
 * and fresh ones are opened on the next request, so a restarted PostgreSQL is picked up
 * without restarting ordergate.
 *
 * Events (transactional outbox): a unit with events ends, just before COMMIT, with ONE statement
 * that advances the one-row counter `event_seq` by the unit's event count, inserts the unit's
 * row into `events` under those sequences and `pg_notify`s the schema's channel. The counter's
 * row lock is taken last and held only for the commit tail, so sequences follow commit order
 * (a bigserial would not: a later commit could hold a smaller number and readers would skip
 * it). Every instance's {@link PostgresEventBus} LISTENs and reads the table by sequence.
 *
 * DATABASE_URL is a libpq-style URL (`postgres://user@host:5432/db`); the ordergate-specific
 * query parameter `schema=<name>` keeps all tables in that schema (created if missing), so
 * several deployments or test runs can share one database.
 */
import pg from 'pg';
import { BitgetError, Errors, err } from '../../domain/errors.js';
import { isOpen, type AccountMode, type Order } from '../../domain/types.js';
import type {
  Account,
  ApiKeyRecord,
  Decide,
  KeyStore,
  LoadSpec,
  Loaded,
  OrderQuery,
  OrderStore,
  Writes,
} from '../types.js';
import { CLIENT_OID_ORDER, matches, querySelection, scopeSelection } from '../../engine/scope.js';
import { ORDER_COLUMNS, ORDER_READ_COLUMNS, ORDER_WRITE_COLUMNS, orderFromValues, orderToValues, pgArrayType, sqlOrderBy, sqlWhere } from '../columns.js';
import { ACCOUNT_ORDER, KEY_ORDER, rowToAccount, rowToApiKey } from '../rows.js';
import { createHash } from 'node:crypto';
import { encodeUnit } from '../../events/build.js';
import { PostgresEventBus } from '../../events/postgres.js';
import { OPEN_CLIENT_OID_INDEX, POSTGRES_MIGRATIONS } from './schema.js';
import { PostgresSwitches } from './switches.js';
import { balanceKey, type Balance, type LedgerEntry } from '../../ledger/balances.js';
import { positionKey, type PosMode, type Position, type SymbolSettings } from '../../ledger/positions.js';
import { cmpKey, entryFromRow, heldRefs, openingMoney, positionFromRow, settingsFromRow, tradeFromRow, type MoneyRow } from '../money.js';
import { posModeKey, settingsKey, type AccountState, type MoneyWrites, type OpeningEntries, type StoredTrade, type TradeQuery } from '../types.js';

type Row = Record<string, unknown>;
type Queryable = Pick<pg.PoolClient, 'query'>;

/** The columns an order is read from, as a SELECT list (rows are read as arrays: `rowMode: 'array'`). */
const ORDER_SELECT = ORDER_READ_COLUMNS;

/** Runs a SELECT of {@link ORDER_SELECT} and maps its rows (arrays) to orders. */
async function selectOrders(c: Queryable, sql: string, args: unknown[]): Promise<Order[]> {
  const r = await c.query({ text: sql, values: args, rowMode: 'array' });
  return (r.rows as unknown[][]).map(orderFromValues);
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A DATABASE_URL split into what node-postgres takes and ordergate's own `schema` parameter. */
export interface ParsedDatabaseUrl {
  /** The URL without `schema` and `options` (those are passed separately). */
  connectionString: string;
  /** Schema holding the tables; undefined = the server's default search_path (public). */
  schema?: string;
  /** libpq `options` startup parameter (search_path for `schema`, plus any the URL gave). */
  options?: string;
}

/**
 * Parses a DATABASE_URL. `?schema=name` (letters, digits, `_`; at most 63) selects the schema.
 * @throws Error when the URL is not postgres:// or postgresql://, or the schema name is invalid.
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected postgres://user@host:5432/database)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got ${u.protocol}//`);
  }
  const schema = u.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`DATABASE_URL schema "${schema}" must be letters, digits and _ (at most 63, not starting with a digit)`);
  }
  const given = u.searchParams.get('options') ?? undefined;
  u.searchParams.delete('schema');
  u.searchParams.delete('options');
  const parts = [given, schema ? `-c search_path=${schema}` : undefined].filter((s): s is string => !!s);
  return { connectionString: u.toString(), schema, options: parts.length ? parts.join(' ') : undefined };
}

/** Options of {@link PostgresStore.open}. Times in ms. */
export interface PostgresOptions {
  /** DATABASE_URL, see {@link parseDatabaseUrl}. */
  url: string;
  /** Pool size per process (default 10). */
  poolMax?: number;
  /** Max wait for a pooled connection, including opening one (default 5000). */
  connectTimeoutMs?: number;
  /** Server-side statement_timeout (default 10000). */
  statementTimeoutMs?: number;
  /** Server-side lock_timeout for row locks (default 5000). */
  lockTimeoutMs?: number;
  /** Client-side bound on any one query, covering a silent network (default 15000). */
  queryTimeoutMs?: number;
  /** Called with errors of idle pooled connections (e.g. the server restarted). Default: ignored. */
  onError?: (e: Error) => void;
  /** Safety poll of the event outbox besides LISTEN/NOTIFY (default 2000). */
  eventPollMs?: number;
}

/** SQLSTATEs worth re-running a unit for: serialization failure, deadlock. */
const RETRY_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 4;

/** The SQLSTATE of an error PostgreSQL reported; undefined for network/driver errors. */
function pgCode(e: unknown): string | undefined {
  return e instanceof pg.DatabaseError ? e.code : undefined;
}

/** Wraps a driver/connection failure as Bitget 40015 (HTTP 500), keeping the cause. */
function systemError(e: unknown): BitgetError {
  if (e instanceof BitgetError) return e;
  const b = err(Errors.SYSTEM_ABNORMAL);
  (b as Error & { cause?: unknown }).cause = e;
  return b;
}

/**
 * Checks a client out of the pool with an 'error' listener for as long as it is held: a
 * connection that dies mid-transaction (server restart) emits 'error' besides failing the
 * query, and pg-pool listens only while the client is idle, so without this the process would
 * crash on an uncaught 'error' event. The failing query still rejects and is handled there.
 */
async function checkout(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  const onError = () => undefined;
  client.on('error', onError);
  const release = client.release.bind(client);
  client.release = (e?: Error | boolean) => {
    client.removeListener('error', onError);
    return release(e);
  };
  return client;
}

/** Marks an error thrown by `decide` so it is rethrown untouched after the rollback. */
class DecideFailure {
  constructor(readonly error: unknown) {}
}

/** BEGIN itself failed: nothing was sent but BEGIN, so the unit may run again on a fresh connection. */
class BeginFailure {
  constructor(readonly error: unknown) {}
}

/**
 * True for a failure of the connection rather than of the statement: a driver/network error,
 * or SQLSTATE class 08 (connection exception) / 57P (operator intervention: shutdown, restart).
 * A pooled connection can be dead without the pool knowing yet (PostgreSQL just restarted).
 */
function connectionLost(e: unknown): boolean {
  const code = pgCode(e);
  if (code !== undefined) return code.startsWith('08') || code.startsWith('57P');
  return !/timeout/i.test(String((e as Error | null)?.message)); // a timeout already used its time: no second wait
}

/** Outbox rows (units) deleted per statement by {@link PostgresStore.pruneEvents}. */
const PRUNE_BATCH = 1000;

/**
 * The NOTIFY channel of a schema's events (NOTIFY is database-wide, so each schema has its
 * own); names too long for an identifier (63) are hashed.
 */
export function eventChannel(schema: string | undefined): string {
  const name = `og_events_${schema ?? 'public'}`;
  return name.length <= 63 ? name : `og_events_${createHash('sha256').update(schema ?? '').digest('hex').slice(0, 40)}`;
}

/** The PostgreSQL {@link OrderStore}; create with {@link PostgresStore.open}. */
export class PostgresStore implements OrderStore, KeyStore {
  readonly kind = 'postgres' as const;
  readonly keys: KeyStore = this;
  /** The schema the tables live in (undefined = server default). */
  readonly schema?: string;
  private instance?: number;
  /** Set by {@link PostgresStore.open} once the listener is up. */
  events!: PostgresEventBus;
  /** NOTIFY channel of this schema's events. */
  readonly channel: string;
  /** Kill switches (switches.ts). */
  readonly switches: PostgresSwitches;

  private constructor(
    readonly pool: pg.Pool,
    schema: string | undefined,
  ) {
    this.schema = schema;
    this.channel = eventChannel(schema);
    this.switches = new PostgresSwitches(pool);
  }

  /**
   * Connects, creates the schema if `?schema=` names one, and applies pending migrations
   * (serialised across instances by an advisory lock, so instances may start together).
   * @throws Error when PostgreSQL is unreachable or a migration fails.
   */
  static async open(opts: PostgresOptions): Promise<PostgresStore> {
    const parsed = parseDatabaseUrl(opts.url);
    const queryTimeout = opts.queryTimeoutMs ?? 15_000;
    const pool = new pg.Pool({
      connectionString: parsed.connectionString,
      options: parsed.options,
      max: opts.poolMax ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      keepAlive: true,
      application_name: 'ordergate',
      statement_timeout: opts.statementTimeoutMs ?? 10_000,
      lock_timeout: opts.lockTimeoutMs ?? 5_000,
      idle_in_transaction_session_timeout: queryTimeout,
      query_timeout: queryTimeout,
    });
    // An idle connection dropped by the server (restart, admin kill) emits here; the pool has
    // already discarded it. Without a listener the process would crash.
    pool.on('error', (e) => opts.onError?.(e));
    const store = new PostgresStore(pool, parsed.schema);
    try {
      await store.migrate();
      store.events = await PostgresEventBus.start({
        pool,
        channel: store.channel,
        listener: { connectionString: parsed.connectionString, options: parsed.options, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000 },
        pollMs: opts.eventPollMs,
        loadOrders: async (ids) => {
          const orders = await selectOrders(pool, `SELECT ${ORDER_SELECT} FROM orders WHERE order_id = ANY($1::text[])`, [ids]);
          return new Map(orders.map((o) => [o.orderId, o]));
        },
        onError: (e) => opts.onError?.(e),
      });
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e;
    }
    return store;
  }

  /** The highest migration version applied. */
  async schemaVersion(): Promise<number> {
    const r = await this.pool.query(`SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations`);
    return Number(r.rows[0].v);
  }

  private async migrate(): Promise<void> {
    const client = await checkout(this.pool);
    try {
      await client.query('BEGIN');
      // One migrator at a time per schema, across every instance starting now.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`ordergate-migrate:${this.schema ?? ''}`]);
      if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`,
      );
      const r = await client.query(`SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations`);
      const have = Number(r.rows[0].v);
      if (have > POSTGRES_MIGRATIONS.length) {
        throw new Error(`database schema version ${have} is newer than this ordergate (${POSTGRES_MIGRATIONS.length})`);
      }
      for (let v = have; v < POSTGRES_MIGRATIONS.length; v++) {
        await client.query(POSTGRES_MIGRATIONS[v]);
        await client.query(`INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, [v + 1, Date.now()]);
      }
      await client.query('COMMIT');
      client.release();
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      throw e;
    }
  }

  /**
   * Runs one unit of work in one transaction (see the module doc). Resolves after COMMIT
   * (durable: synchronous_commit). Rejects with decide's own error (nothing written), or with
   * BitgetError 40015 when PostgreSQL fails (the transaction rolled back; a failure during
   * COMMIT itself leaves the outcome unknown to this process, never partial).
   */
  async execute<R>(spec: LoadSpec, decide: Decide<R>): Promise<R> {
    let uniqueRetried = false;
    let beginRetried = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(spec, decide);
      } catch (caught) {
        if (caught instanceof DecideFailure) throw caught.error;
        if (caught instanceof BeginFailure && !beginRetried && connectionLost(caught.error)) {
          beginRetried = true; // a stale pooled connection: one more try on a fresh one
          continue;
        }
        const e = caught instanceof BeginFailure ? caught.error : caught;
        const code = pgCode(e);
        if (code && RETRY_CODES.has(code) && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, 2 + Math.random() * 10 * attempt));
          continue;
        }
        if (code === '23505' && (e as { constraint?: string }).constraint === OPEN_CLIENT_OID_INDEX && !uniqueRetried) {
          uniqueRetried = true; // decide will now see the other instance's open order
          continue;
        }
        throw systemError(e);
      }
    }
  }

  private async runOnce<R>(spec: LoadSpec, decide: Decide<R>): Promise<R> {
    const client = await checkout(this.pool);
    let broken: unknown;
    try {
      try {
        await client.query('BEGIN');
      } catch (e) {
        throw new BeginFailure(e);
      }
      const loaded = await this.load(client, spec);
      let decided: ReturnType<Decide<R>>;
      try {
        decided = decide(loaded);
      } catch (e) {
        throw new DecideFailure(e);
      }
      await this.write(client, decided.writes);
      const events = decided.writes.events;
      if (events && events.length > 0) {
        // last statement before COMMIT: the counter's row lock orders commits (module doc)
        await client.query(
          `WITH s AS (UPDATE event_seq SET n = n + $1 RETURNING n),
                i AS (INSERT INTO events (seq, last_seq, ts, body) SELECT n - $1 + 1, n, $2, $3 FROM s RETURNING last_seq)
           SELECT pg_notify($4, last_seq::text) FROM i`,
          [events.length, Date.now(), encodeUnit(events), this.channel],
        );
      }
      await client.query('COMMIT');
      if (events && events.length > 0) this.events.poke();
      return decided.result;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch (re) {
        broken = re; // the connection is gone or unusable: drop it from the pool
      }
      const cause = e instanceof BeginFailure ? e.error : e;
      if (!(e instanceof DecideFailure) && !pgCode(cause)) broken ??= cause; // not a server-reported error
      throw e;
    } finally {
      client.release(broken ? (broken instanceof Error ? broken : true) : undefined);
    }
  }

  private async load(c: Queryable, spec: LoadSpec): Promise<Loaded> {
    const byId = new Map<string, Order>();
    const byClientOid = new Map<string, Order>();
    const scoped: Order[] = [];
    const ids = spec.orderIds && spec.orderIds.length > 0 ? [...new Set(spec.orderIds)] : [];
    const coids = spec.uid !== null && spec.clientOids && spec.clientOids.length > 0 ? [...new Set(spec.clientOids)] : [];
    const scope = spec.scope;
    const args: unknown[] = [];
    const p = (v: unknown) => (args.push(v), `$${args.length}`);
    const ors: string[] = [];
    if (ids.length > 0) {
      ors.push(spec.uid === null ? `order_id = ANY(${p(ids)}::text[])` : `(order_id = ANY(${p(ids)}::text[]) AND uid = ${p(spec.uid)})`);
    }
    if (coids.length > 0) ors.push(`(uid = ${p(spec.uid)} AND is_open AND client_oid = ANY(${p(coids)}::text[]))`);
    const scopeWhere = scope ? scopeSelection(scope).where : undefined;
    if (scopeWhere) ors.push(`(${sqlWhere(scopeWhere, 'postgres', p)})`);
    if (ors.length === 0) return this.loadMoney(c, spec, { byId, byClientOid, scoped });
    // One statement, sorted, so every unit takes its row locks in order_id order (which is also
    // the scope's order, engine/scope.ts).
    const locked = await selectOrders(c, `SELECT ${ORDER_SELECT} FROM orders WHERE ${ors.join(' OR ')} ORDER BY order_id FOR UPDATE`, args);
    const idSet = new Set(ids);
    const coidSet = new Set(coids);
    for (const o of locked) {
      // Re-derive membership from the row as locked (it may have changed while we waited).
      const open = isOpen(o.status);
      if (idSet.has(o.orderId) && (spec.uid === null || o.uid === spec.uid)) byId.set(o.orderId, o);
      if (open && o.uid === spec.uid && coidSet.has(o.clientOid)) byClientOid.set(o.clientOid, o);
      if (scopeWhere && matches(o, scopeWhere)) scoped.push(o);
    }
    const missing = coids.filter((x) => !byClientOid.has(x));
    if (missing.length > 0) {
      // Closed orders are final: no lock needed. Per clientOid the first in CLIENT_OID_ORDER.
      const closed = await selectOrders(
        c,
        `SELECT DISTINCT ON (client_oid) ${ORDER_SELECT} FROM orders WHERE uid = $1 AND client_oid = ANY($2::text[]) AND NOT is_open
         ORDER BY client_oid, ${sqlOrderBy(CLIENT_OID_ORDER)}`,
        [spec.uid, missing],
      );
      for (const o of closed) byClientOid.set(o.clientOid, o);
    }
    return this.loadMoney(c, spec, { byId, byClientOid, scoped });
  }

  /**
   * Loads and locks (`FOR UPDATE`, after the orders, each table in key order) the unit's
   * balances, positions and settings, and reads its posModes (LoadSpec). One statement per
   * table, never one per order.
   */
  private async loadMoney(c: Queryable, spec: LoadSpec, loaded: Loaded): Promise<Loaded> {
    const refs = [...(spec.balances ?? []), ...(spec.heldBalances ? heldRefs(loaded) : [])].sort(cmpKey);
    if (refs.length === 0 && !spec.symbols && !spec.posModes) return loaded;
    const balances = new Map<string, Balance>();
    if (refs.length > 0) {
      const cols = [refs.map((r) => r.uid), refs.map((r) => r.account), refs.map((r) => r.coin)];
      if (spec.ensureBalances && spec.balances && spec.balances.length > 0) {
        const b = spec.balances;
        await c.query(
          `INSERT INTO balances (uid, account, coin, available, frozen, u_time)
           SELECT u, a, k, '0', '0', $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(u, a, k) ORDER BY u, a, k ON CONFLICT DO NOTHING`,
          [b.map((r) => r.uid), b.map((r) => r.account), b.map((r) => r.coin), Date.now()],
        );
      }
      const r = await c.query(
        `SELECT uid, account, coin, available, frozen FROM balances
         WHERE (uid, account, coin) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))
         ORDER BY uid, account, coin FOR UPDATE`,
        cols,
      );
      for (const row of r.rows as MoneyRow[]) {
        balances.set(balanceKey(row.uid as string, row.account as string, row.coin as string), { available: row.available as string, frozen: row.frozen as string });
      }
    }
    const positions = new Map<string, Position>();
    const settings = new Map<string, SymbolSettings>();
    const syms = spec.symbols ?? [];
    if (syms.length > 0) {
      const cols = [syms.map((r) => r.uid), syms.map((r) => r.account), syms.map((r) => r.symbol)];
      const inSyms = `(uid, account, symbol) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`;
      const pr = await c.query(`SELECT * FROM positions WHERE ${inSyms} ORDER BY uid, account, symbol, hold_side FOR UPDATE`, cols);
      for (const row of pr.rows as MoneyRow[]) {
        const p = positionFromRow(row);
        positions.set(positionKey(p.uid, p.account, p.symbol, p.holdSide), p);
      }
      const sr = await c.query(`SELECT * FROM symbol_settings WHERE ${inSyms} ORDER BY uid, account, symbol FOR UPDATE`, cols);
      for (const row of sr.rows as MoneyRow[]) settings.set(settingsKey(row.uid as string, row.account as string, row.symbol as string), settingsFromRow(row));
    }
    const posModes = new Map<string, PosMode>();
    const pm = spec.posModes ?? [];
    if (pm.length > 0) {
      const r = await c.query(
        `SELECT uid, product_type, pos_mode FROM pos_modes WHERE (uid, product_type) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [pm.map((m) => m.uid), pm.map((m) => m.productType)],
      );
      for (const row of r.rows as MoneyRow[]) posModes.set(posModeKey(row.uid as string, row.product_type as string), row.pos_mode as PosMode);
    }
    return { ...loaded, balances, positions, settings, posModes };
  }

  /** Writes a unit's money: entries, balances (absolute values of locked rows), positions, trades, settings. */
  private async writeMoney(c: Queryable, m: MoneyWrites | undefined): Promise<void> {
    if (!m) return;
    const now = Date.now();
    if (m.entries.length > 0) {
      const e = m.entries;
      await c.query(
        `INSERT INTO ledger (uid, account, coin, reason, available, frozen, order_id, trade_id, ts)
         SELECT *, $9::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
        [e.map((x) => x.uid), e.map((x) => x.account), e.map((x) => x.coin), e.map((x) => x.reason), e.map((x) => x.available), e.map((x) => x.frozen), e.map((x) => x.orderId), e.map((x) => x.tradeId), now],
      );
    }
    if (m.balances.size > 0) {
      const keys = [...m.balances.keys()].map((k) => k.split('|'));
      const vals = [...m.balances.values()];
      await c.query(
        `INSERT INTO balances (uid, account, coin, available, frozen, u_time)
         SELECT *, $6::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (uid, account, coin) DO UPDATE SET available = excluded.available, frozen = excluded.frozen, u_time = excluded.u_time`,
        [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2]), vals.map((b) => b.available), vals.map((b) => b.frozen), now],
      );
    }
    for (const [k, p] of m.positions ?? []) {
      if (p === null) {
        await c.query(`DELETE FROM positions WHERE uid = $1 AND account = $2 AND symbol = $3 AND hold_side = $4`, k.split('|'));
      } else {
        await c.query(
          `INSERT INTO positions (uid, account, symbol, hold_side, product_type, margin_coin, margin_mode, leverage, size, open_value, margin, achieved_profits, total_fee, u_time)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           ON CONFLICT (uid, account, symbol, hold_side) DO UPDATE SET margin_mode = excluded.margin_mode, leverage = excluded.leverage, size = excluded.size,
             open_value = excluded.open_value, margin = excluded.margin, achieved_profits = excluded.achieved_profits, total_fee = excluded.total_fee, u_time = excluded.u_time`,
          [p.uid, p.account, p.symbol, p.holdSide, p.productType, p.marginCoin, p.marginMode, p.leverage, p.size, p.openValue, p.margin, p.achievedProfits, p.totalFee, now],
        );
      }
    }
    for (const t of m.trades ?? []) {
      await c.query(
        `INSERT INTO trades (trade_id, order_id, uid, category, symbol, side, price, size, quote_volume, fee, fee_coin, liquidity, realised_pnl, trade_side, c_time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [t.tradeId, t.orderId, t.uid, t.category, t.symbol, t.side, t.price, t.size, t.quoteVolume, t.fee, t.feeCoin, t.liquidity, t.realisedPnl, t.tradeSide, t.cTime],
      );
    }
    for (const [k, v] of m.settings ?? []) {
      await c.query(
        `INSERT INTO symbol_settings (uid, account, symbol, margin_mode, crossed_leverage, long_leverage, short_leverage) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (uid, account, symbol) DO UPDATE SET margin_mode = excluded.margin_mode, crossed_leverage = excluded.crossed_leverage,
           long_leverage = excluded.long_leverage, short_leverage = excluded.short_leverage`,
        [...k.split('|'), v.marginMode, v.crossedLeverage, v.longLeverage, v.shortLeverage],
      );
    }
    for (const [k, v] of m.posModes ?? []) {
      await c.query(
        `INSERT INTO pos_modes (uid, product_type, pos_mode) VALUES ($1, $2, $3) ON CONFLICT (uid, product_type) DO UPDATE SET pos_mode = excluded.pos_mode`,
        [...k.split('|'), v],
      );
    }
  }

  private async write(c: Queryable, w: Writes): Promise<void> {
    if (w.inserts.length > 0) {
      const rows = w.inserts.map((o) => orderToValues(o, 'postgres'));
      await c.query(
        `INSERT INTO orders (${ORDER_WRITE_COLUMNS})
         SELECT * FROM unnest(${ORDER_COLUMNS.map((col, i) => `$${i + 1}::${pgArrayType(col)}`).join(', ')})`,
        ORDER_COLUMNS.map((_, i) => rows.map((r) => r[i])),
      );
    }
    if (w.updates.length > 0) {
      const u = w.updates;
      await c.query(
        `UPDATE orders o SET status = u.status, filled_size = u.filled_size, filled_quote = u.filled_quote,
           u_time = u.u_time, cancel_reason = u.cancel_reason, is_open = u.is_open,
           held = COALESCE(u.held, o.held), fee = COALESCE(u.fee, o.fee), fee_coin = COALESCE(u.fee_coin, o.fee_coin)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::boolean[], $8::text[], $9::text[], $10::text[])
           AS u(order_id, status, filled_size, filled_quote, u_time, cancel_reason, is_open, held, fee, fee_coin)
         WHERE o.order_id = u.order_id`,
        [
          u.map((x) => x.orderId),
          u.map((x) => x.status),
          u.map((x) => x.filledSize),
          u.map((x) => x.filledQuote),
          u.map((x) => x.uTime),
          u.map((x) => x.cancelReason),
          u.map((x) => isOpen(x.status)),
          u.map((x) => x.held ?? null),
          u.map((x) => x.fee ?? null),
          u.map((x) => x.feeCoin ?? null),
        ],
      );
    }
    await this.writeMoney(c, w.money);
  }

  /**
   * Runs a read (retried once when the connection, not the statement, failed: reads are
   * idempotent); PostgreSQL failures become BitgetError 40015.
   */
  private async read(sql: string, args: unknown[]): Promise<Order[]> {
    try {
      return await selectOrders(this.pool, sql, args);
    } catch (e) {
      if (!connectionLost(e)) throw systemError(e);
      try {
        return await selectOrders(this.pool, sql, args);
      } catch (again) {
        throw systemError(again);
      }
    }
  }

  async getOrder(uid: string, ref: { orderId?: string; clientOid?: string }): Promise<Order | undefined> {
    const rows = ref.orderId
      ? await this.read(`SELECT ${ORDER_SELECT} FROM orders WHERE order_id = $1 AND uid = $2`, [ref.orderId, uid])
      : ref.clientOid
        ? await this.read(
            `SELECT ${ORDER_SELECT} FROM orders WHERE uid = $1 AND client_oid = $2 ORDER BY ${sqlOrderBy(CLIENT_OID_ORDER)} LIMIT 1`,
            [uid, ref.clientOid],
          )
        : [];
    return rows[0];
  }

  async listOrders(q: OrderQuery): Promise<Order[]> {
    const sel = querySelection(q);
    const args: unknown[] = [];
    const p = (v: unknown) => (args.push(v), `$${args.length}`);
    const where = sqlWhere(sel.where, 'postgres', p);
    return this.read(`SELECT ${ORDER_SELECT} FROM orders WHERE ${where} ORDER BY ${sqlOrderBy(sel.orderBy)} LIMIT ${p(sel.limit)}`, args);
  }

  /**
   * This process's instance number, drawn once from the `instance_seq` sequence (mod 1024):
   * processes started on one database get distinct numbers, so their order ids never collide
   * (ids embed it, see engine/ids.ts) unless 1024 starts happen while the oldest still runs.
   */
  async instanceId(): Promise<number> {
    if (this.instance === undefined) {
      const r = await this.pool.query(`SELECT nextval('instance_seq') % 1024 AS n`);
      this.instance = Number(r.rows[0].n);
    }
    return this.instance;
  }

  async pruneEvents(keep: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      // reads the counter without locking it: never waits for, nor holds up, a commit
      const r = await this.pool.query<{ k: string }>(
        `WITH d AS (DELETE FROM events WHERE seq IN (
             SELECT seq FROM events WHERE last_seq <= (SELECT n FROM event_seq) - $1 ORDER BY seq LIMIT $2)
           RETURNING last_seq - seq + 1 AS k)
         SELECT COALESCE(SUM(k), 0) AS k FROM d`,
        [keep, PRUNE_BATCH],
      );
      const n = Number(r.rows[0].k);
      deleted += n;
      if (n === 0) return deleted;
    }
  }

  async close(): Promise<void> {
    await this.events?.close();
    await this.pool.end();
  }

  // ---- money reads -----------------------------------------------------------------------

  private opening?: OpeningEntries;

  setOpening(opening: OpeningEntries | undefined): void {
    this.opening = opening;
  }

  private async rows(sql: string, args: unknown[]): Promise<MoneyRow[]> {
    try {
      return (await this.pool.query(sql, args)).rows as MoneyRow[];
    } catch (e) {
      throw systemError(e);
    }
  }

  async accountState(uid: string): Promise<AccountState> {
    const balances = (await this.rows(`SELECT uid, account, coin, available, frozen FROM balances WHERE uid = $1 ORDER BY account, coin`, [uid])).map((r) => ({
      uid,
      account: r.account as string,
      coin: r.coin as string,
      available: r.available as string,
      frozen: r.frozen as string,
    }));
    const positions = (await this.rows(`SELECT * FROM positions WHERE uid = $1 ORDER BY account, symbol, hold_side`, [uid])).map(positionFromRow);
    const settings = new Map<string, SymbolSettings>();
    for (const r of await this.rows(`SELECT * FROM symbol_settings WHERE uid = $1`, [uid])) settings.set(`${r.account}|${r.symbol}`, settingsFromRow(r));
    const posModes = new Map<string, PosMode>();
    for (const r of await this.rows(`SELECT * FROM pos_modes WHERE uid = $1`, [uid])) posModes.set(r.product_type as string, r.pos_mode as PosMode);
    return { balances, positions, settings, posModes };
  }

  async listTrades(q: TradeQuery): Promise<StoredTrade[]> {
    const args: unknown[] = [q.uid, q.categories];
    let where = `uid = $1 AND category = ANY($2::text[])`;
    const p = (v: unknown) => (args.push(v), `$${args.length}`);
    if (q.symbol) where += ` AND symbol = ${p(q.symbol)}`;
    if (q.orderId) where += ` AND order_id = ${p(q.orderId)}`;
    if (q.idLessThan) where += ` AND trade_id < ${p(q.idLessThan)}`;
    if (q.startTime !== undefined) where += ` AND c_time >= ${p(q.startTime)}`;
    if (q.endTime !== undefined) where += ` AND c_time <= ${p(q.endTime)}`;
    return (await this.rows(`SELECT * FROM trades WHERE ${where} ORDER BY trade_id DESC LIMIT ${p(q.limit)}`, args)).map(tradeFromRow);
  }

  async listEntries(uid: string, limit: number, account?: string): Promise<Array<LedgerEntry & { id: string; ts: string }>> {
    const rows = account
      ? await this.rows(`SELECT * FROM ledger WHERE uid = $1 AND account = $2 ORDER BY id DESC LIMIT $3`, [uid, account, limit])
      : await this.rows(`SELECT * FROM ledger WHERE uid = $1 ORDER BY id DESC LIMIT $2`, [uid, limit]);
    return rows.map(entryFromRow);
  }

  // ---- KeyStore -------------------------------------------------------------------------

  /** Runs `fn` in a transaction (KeyStore writes); errors propagate unchanged. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await checkout(this.pool);
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      client.release();
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      throw e;
    }
  }

  private bumpKeys(c: Queryable): Promise<unknown> {
    return c.query(`UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'keys_version'`);
  }

  async ensureAccount(uid: string, mode: AccountMode): Promise<Account> {
    const now = Date.now();
    return this.tx(async (c) => {
      const ins = await c.query(
        `INSERT INTO accounts (uid, mode, created_at) VALUES ($1, $2, $3) ON CONFLICT (uid) DO NOTHING RETURNING uid`,
        [uid, mode, now],
      );
      if (ins.rowCount === 1) {
        await this.bumpKeys(c);
        const entries = this.opening?.(uid, mode) ?? [];
        if (entries.length > 0) await this.writeMoney(c, openingMoney(entries));
        return { uid, mode, createdAt: now };
      }
      const row = (await c.query(`SELECT * FROM accounts WHERE uid = $1`, [uid])).rows[0] as Row;
      if (row.mode !== mode) throw new Error(`UID ${uid} exists in ${String(row.mode)} mode, not ${mode}`);
      return { uid, mode, createdAt: Number(row.created_at) };
    });
  }

  async getAccount(uid: string): Promise<Account | undefined> {
    const r = (await this.pool.query(`SELECT * FROM accounts WHERE uid = $1`, [uid])).rows[0] as Row | undefined;
    return r ? rowToAccount(r) : undefined;
  }

  async listAccounts(): Promise<Account[]> {
    const rows = (await this.pool.query(`SELECT * FROM accounts ORDER BY ${ACCOUNT_ORDER}`)).rows as Row[];
    return rows.map(rowToAccount);
  }

  async insertKey(rec: ApiKeyRecord): Promise<void> {
    await this.tx(async (c) => {
      await c.query(
        `INSERT INTO api_keys (api_key, uid, permission, ips, secret_enc, passphrase_hash, label, created_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [rec.apiKey, rec.uid, rec.permission, rec.ips.join(','), rec.secretEnc, rec.passphraseHash, rec.label, rec.createdAt, rec.revokedAt],
      );
      await this.bumpKeys(c);
    });
  }

  async listKeys(): Promise<ApiKeyRecord[]> {
    const rows = (await this.pool.query(`SELECT * FROM api_keys ORDER BY ${KEY_ORDER}`)).rows as Row[];
    return rows.map(rowToApiKey);
  }

  async revokeKey(apiKey: string, now: number): Promise<boolean> {
    return this.tx(async (c) => {
      const res = await c.query(`UPDATE api_keys SET revoked_at = $1 WHERE api_key = $2 AND revoked_at IS NULL`, [now, apiKey]);
      if (res.rowCount === 1) await this.bumpKeys(c);
      return res.rowCount === 1;
    });
  }

  async keysVersion(): Promise<number> {
    const r = (await this.pool.query(`SELECT value FROM meta WHERE key = 'keys_version'`)).rows[0] as Row;
    return Number(r.value);
  }
}

/**
 * Drops the schema a `?schema=` DATABASE_URL names, with everything in it (tests use one
 * fresh schema per server). A URL without `schema` is refused, so `public` is never dropped.
 */
export async function dropPostgresSchema(url: string): Promise<void> {
  const parsed = parseDatabaseUrl(url);
  if (!parsed.schema) throw new Error('dropPostgresSchema needs a DATABASE_URL with ?schema=');
  const client = new pg.Client({ connectionString: parsed.connectionString, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${parsed.schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
