/**
 * The embedded store: one SQLite file (better-sqlite3), WAL journal, `synchronous=FULL`, so a
 * committed transaction is on disk before `execute` resolves.
 *
 * Group commit: units of work queued during one event-loop turn run in ONE transaction (each
 * in its own savepoint, so one failing unit rolls back alone) and share one fsync. Units run
 * one after another, so two batches can never both cancel the same order.
 *
 * Hot path (measured with `npm run bench`, see bench/README.md): orders are clustered by
 * (uid, order_id) (schema v2), rows are read as one JSON array each, statements are prepared once,
 * the updates of one unit that set the same values are one `UPDATE ... IN (json_each(?))`,
 * and WAL checkpoints run in a background thread (checkpointer.ts) instead of on the event loop.
 *
 * Events (transactional outbox): a unit's events are one row of `events`, written inside its
 * savepoint under the next sequence numbers (read from the outbox once per transaction, under
 * the write lock), so a rolled-back unit leaves neither a row nor a gap; after COMMIT returns
 * they are published in-process ({@link LocalEventBus}), in commit order.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AccountMode, CancelScope, Order } from '../../domain/types.js';
import type {
  Account,
  ApiKeyRecord,
  Decide,
  KeyStore,
  LoadSpec,
  Loaded,
  OrderQuery,
  OrderStore,
  OrderUpdate,
  Writes,
} from '../types.js';
import { CLIENT_OID_ORDER, querySelection, scopeSelection, type Condition } from '../../engine/scope.js';
import { ORDER_COLUMNS, ORDER_READ_COLUMNS, ORDER_WRITE_COLUMNS, openFlag, orderFromValues, orderToValues, sqlOrderBy, sqlWhere } from '../columns.js';
import { ACCOUNT_ORDER, KEY_ORDER, rowToAccount, rowToApiKey } from '../rows.js';
import { decodeUnits, encodeUnit, type UnitRow } from '../../events/build.js';
import { LocalEventBus, type CommittedUnit } from '../../events/local.js';
import type { StoredEvent } from '../../events/types.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { SQLITE_MIGRATIONS } from './schema.js';
import { SqliteSwitches } from './switches.js';
import { balanceKey, type Balance, type LedgerEntry } from '../../ledger/balances.js';
import { positionKey, type PosMode, type Position, type SymbolSettings } from '../../ledger/positions.js';
import { entryFromRow, heldRefs, openingMoney, positionFromRow, settingsFromRow, tradeFromRow, type MoneyRow } from '../money.js';
import { posModeKey, settingsKey, type AccountState, type OpeningEntries, type StoredTrade, type TradeQuery } from '../types.js';

type Row = Record<string, unknown>;

/**
 * Orders are read as one JSON array per row (`json_array` of the columns.ts read columns) and
 * parsed with JSON.parse: one string crossing from SQLite per row instead of 19 values, about a
 * third cheaper per row (bench/README.md). Text stays text, integers (times) are numbers, NULL null.
 */
const ORDER_JSON = `json_array(${ORDER_READ_COLUMNS})`;

/** An order from a row of {@link ORDER_JSON}. */
const jsonToOrder = (row: string): Order => orderFromValues(JSON.parse(row) as unknown[]);

const isOpenStatus = (s: Order['status']): number => openFlag(s, 'sqlite') as number;

/** The SET of an order update: held/fee/fee_coin only when the update gives them (NULL = unchanged). */
const UPDATE_SET = `UPDATE orders SET status = ?, filled_size = ?, filled_quote = ?, u_time = ?, cancel_reason = ?, is_open = ?,
  held = COALESCE(?, held), fee = COALESCE(?, fee), fee_coin = COALESCE(?, fee_coin)`;

interface Job {
  spec: LoadSpec;
  decide: Decide<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Options of {@link SqliteStore}. */
export interface SqliteOptions {
  /** File path, or ':memory:'. */
  path: string;
  /** Defaults to true; false turns fsync off (only for experiments, never the default). */
  durable?: boolean;
  /**
   * File stores: checkpoint the WAL in a background thread every this many ms (default 20; the server
   * passes Config.sqliteCheckpointMs, env ORDERGATE_SQLITE_CHECKPOINT_MS), or 0 to let SQLite checkpoint inside commits (its default).
   */
  checkpointIntervalMs?: number;
  /** WAL pages above which the writer makes the WAL start over (default {@link WAL_RESTART_FRAMES}). */
  walRestartFrames?: number;
  /** How often the event bus looks for units other processes committed to the file, ms (default 1000). */
  eventPollMs?: number;
}

/** Default background checkpoint interval, ms (Config.sqliteCheckpointMs overrides; 0 = inline). */
const DEFAULT_CHECKPOINT_MS = 20;

/**
 * WAL frames (pages) above which the writer restarts the WAL itself. Under sustained load the
 * background PASSIVE checkpoints copy everything but rarely catch the instant when the WAL
 * could start over, so it would grow without bound; a RESTART checkpoint (the frames left to
 * copy are few) makes the next commit write from the beginning again. 16384 pages = 64 MiB.
 */
const WAL_RESTART_FRAMES = 16384;

/** The WAL file is cut back to this size when it starts over (bytes). */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

type Statement = Database.Statement<unknown[]>;

/** WHERE clause (and its arguments) of `where` (engine/scope.ts), `?` placeholders. */
function whereOf(where: readonly Condition[]): { where: string; args: unknown[] } {
  const args: unknown[] = [];
  return { where: sqlWhere(where, 'sqlite', (v) => (args.push(v), '?')), args };
}

/** WHERE clause (and its arguments) of the open orders of a cancel scope. */
const scopeWhere = (s: CancelScope) => whereOf(scopeSelection(s).where);

/** Outbox rows (units) read per catch-up page (the bus reads on from the page's end). */
const READ_UNITS = 1000;

/** Outbox rows (units) deleted per statement by {@link SqliteStore.pruneEvents}. */
const PRUNE_BATCH = 500;

/** From this many orders on, a scope cancel updates by a range scan of the uid's orders instead of by id. */
const SCOPE_UPDATE_MIN = 1000;

/**
 * Makes the database file owner-only before SQLite opens it: the directory is created 0700 when
 * missing, the file is pre-created 0600 (SQLite gives its -wal and -shm files the database
 * file's mode), and an existing file, -wal or -shm readable by others is tightened to 0600.
 * The secrets in it are encrypted, but orders, UIDs and passphrase hashes are not for others.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const f of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      // absent (or not ours to change): SQLite creates -wal/-shm with the database's mode
    }
  }
}

/** The embedded SQLite {@link OrderStore}. */
export class SqliteStore implements OrderStore, KeyStore {
  readonly kind = 'sqlite' as const;
  readonly keys: KeyStore = this;
  readonly db: Database.Database;
  private queue: Job[] = [];
  private scheduled = false;
  private readonly st;
  /** Prepared statements of dynamic queries (scope, list), by SQL text. */
  private readonly cached = new Map<string, Statement>();
  private checkpointer?: Checkpointer;
  /** Background checkpoint round at which the writer last tried a RESTART. */
  private restartTriedAt = -1;
  private readonly walRestartFrames: number;
  readonly events: LocalEventBus;
  /** Kill switches (switches.ts). */
  readonly switches: SqliteSwitches;

  constructor(opts: SqliteOptions) {
    const file = opts.path !== ':memory:' && opts.path !== '';
    if (file) createPrivately(opts.path);
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.durable === false ? 'OFF' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    // 64 MiB page cache and memory-mapped reads: a million orders stay in memory
    this.db.pragma('cache_size = -65536');
    if (file) this.db.pragma('mmap_size = 268435456');
    this.db.pragma('temp_store = MEMORY');
    this.migrate();
    this.switches = new SqliteSwitches(this.db);
    this.walRestartFrames = opts.walRestartFrames ?? WAL_RESTART_FRAMES;
    const db = this.db;
    const sel = (where: string, from = 'orders') => db.prepare(`SELECT ${ORDER_JSON} FROM ${from} WHERE ${where}`).pluck(true);
    const SET = UPDATE_SET;
    this.st = {
      byIdsOfUid: sel(`uid = ? AND order_id IN (SELECT value FROM json_each(?))`),
      byIdOfUid: sel(`uid = ? AND order_id = ?`),
      byIdsAny: sel(`order_id IN (SELECT value FROM json_each(?))`),
      byIdAny: sel(`order_id = ?`),
      // without statistics the planner would scan the uid's whole primary-key range; name the index
      byClientOid: sel(`uid = ? AND client_oid = ? ORDER BY ${sqlOrderBy(CLIENT_OID_ORDER)} LIMIT 1`, 'orders INDEXED BY orders_client_oid'),
      insert: db.prepare(`INSERT INTO orders (${ORDER_WRITE_COLUMNS}) VALUES (${ORDER_COLUMNS.map(() => '?').join(', ')})`),
      updateOfUid: db.prepare(`${SET} WHERE uid = ? AND order_id = ?`),
      updateManyOfUid: db.prepare(`${SET} WHERE uid = ? AND order_id IN (SELECT value FROM json_each(?))`),
      updateAny: db.prepare(`${SET} WHERE order_id = ?`),
      balancesOfUid: db.prepare(`SELECT uid, account, coin, available, frozen FROM balances WHERE uid = ? AND account || '|' || coin IN (SELECT value FROM json_each(?))`),
      balanceUpsert: db.prepare(
        `INSERT INTO balances (uid, account, coin, available, frozen, u_time) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (uid, account, coin) DO UPDATE SET available = excluded.available, frozen = excluded.frozen, u_time = excluded.u_time`,
      ),
      entryInsert: db.prepare(`INSERT INTO ledger (uid, account, coin, reason, available, frozen, order_id, trade_id, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      positionsOf: db.prepare(`SELECT * FROM positions WHERE uid = ? AND account = ? AND symbol = ?`),
      positionUpsert: db.prepare(
        `INSERT INTO positions (uid, account, symbol, hold_side, product_type, margin_coin, margin_mode, leverage, size, open_value, margin, achieved_profits, total_fee, u_time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (uid, account, symbol, hold_side) DO UPDATE SET margin_mode = excluded.margin_mode, leverage = excluded.leverage, size = excluded.size,
           open_value = excluded.open_value, margin = excluded.margin, achieved_profits = excluded.achieved_profits, total_fee = excluded.total_fee, u_time = excluded.u_time`,
      ),
      positionDelete: db.prepare(`DELETE FROM positions WHERE uid = ? AND account = ? AND symbol = ? AND hold_side = ?`),
      settingsOf: db.prepare(`SELECT * FROM symbol_settings WHERE uid = ? AND account = ? AND symbol = ?`),
      settingsUpsert: db.prepare(
        `INSERT INTO symbol_settings (uid, account, symbol, margin_mode, crossed_leverage, long_leverage, short_leverage) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (uid, account, symbol) DO UPDATE SET margin_mode = excluded.margin_mode, crossed_leverage = excluded.crossed_leverage,
           long_leverage = excluded.long_leverage, short_leverage = excluded.short_leverage`,
      ),
      posModeOf: db.prepare(`SELECT pos_mode FROM pos_modes WHERE uid = ? AND product_type = ?`).pluck(true),
      posModeUpsert: db.prepare(`INSERT INTO pos_modes (uid, product_type, pos_mode) VALUES (?, ?, ?) ON CONFLICT (uid, product_type) DO UPDATE SET pos_mode = excluded.pos_mode`),
      tradeInsert: db.prepare(
        `INSERT INTO trades (trade_id, order_id, uid, category, symbol, side, price, size, quote_volume, fee, fee_coin, liquidity, realised_pnl, trade_side, c_time)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      savepoint: db.prepare('SAVEPOINT unit'),
      release: db.prepare('RELEASE unit'),
      rollbackTo: db.prepare('ROLLBACK TO unit'),
      keysVersion: db.prepare(`SELECT value FROM meta WHERE key = 'keys_version'`),
      bumpKeys: db.prepare(`UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'keys_version'`),
      eventsNewest: db.prepare(`SELECT last_seq FROM events ORDER BY seq DESC LIMIT 1`).pluck(true),
      eventInsert: db.prepare(`INSERT INTO events (seq, last_seq, ts, body) VALUES (?, ?, ?, ?)`),
      // whole units overlapping (after, upTo]: from the unit holding after + 1
      eventsRead: db.prepare(
        `SELECT seq, ts, body FROM events WHERE seq >= COALESCE((SELECT MAX(seq) FROM events WHERE seq <= ? + 1), 0) AND seq <= ? ORDER BY seq LIMIT ${READ_UNITS}`,
      ),
      eventsPrune: db.prepare(
        `DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE last_seq <= ? AND seq < (SELECT MAX(seq) FROM events) ORDER BY seq LIMIT ?)
         RETURNING last_seq - seq + 1`,
      ).pluck(true),
    };
    this.events = new LocalEventBus({
      read: (after, upTo) => this.readEvents(after, upTo),
      start: this.newestEvent(),
      newest: () => this.newestEvent(),
      pollMs: opts.eventPollMs,
    });
    const interval = opts.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_MS;
    if (file && interval > 0) {
      this.db.pragma('wal_autocheckpoint = 0');
      this.db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
      this.checkpointer = startCheckpointer(opts.path, interval, () => {
        // the thread died: let SQLite checkpoint inside commits again
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
        this.checkpointer = undefined;
      });
    }
  }

  private migrate(): void {
    const db = this.db;
    const hasMeta = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'`).get();
    let version = 0;
    if (hasMeta) {
      const row = db.prepare(`SELECT value FROM meta WHERE key='schema_version'`).get() as Row | undefined;
      version = row ? Number(row.value) : 0;
    }
    for (let v = version; v < SQLITE_MIGRATIONS.length; v++) {
      db.transaction(() => {
        db.exec(SQLITE_MIGRATIONS[v]);
        db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(v + 1));
      }).immediate();
    }
  }

  /** A prepared statement for `sql`, prepared once (`pluck`: rows are their first column). */
  private prepared(sql: string, pluck = false): Statement {
    let s = this.cached.get(sql);
    if (!s) {
      s = this.db.prepare(sql) as Statement;
      if (pluck) s.pluck(true);
      this.cached.set(sql, s);
    }
    return s;
  }

  execute<R>(spec: LoadSpec, decide: Decide<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ spec, decide, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const jobs = this.queue;
    this.queue = [];
    this.scheduled = false;
    const done: Array<[Job, boolean, unknown]> = [];
    const db = this.db;
    const st = this.st;
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      for (const j of jobs) j.reject(e);
      return;
    }
    const published: CommittedUnit[] = [];
    let nextSeq = 0;
    let ts = 0;
    for (const job of jobs) {
      st.savepoint.run();
      try {
        const loaded = this.load(job.spec);
        const { writes, result } = job.decide(loaded);
        this.write(writes, job.spec, loaded);
        const events = writes.events;
        if (events && events.length > 0) {
          if (nextSeq === 0) ((nextSeq = this.newestEvent() + 1), (ts = Date.now()));
          st.eventInsert.run(nextSeq, nextSeq + events.length - 1, ts, encodeUnit(events));
          st.release.run();
          published.push({ seq: nextSeq, ts, events });
          nextSeq += events.length;
        } else {
          st.release.run();
        }
        done.push([job, true, result]);
      } catch (e) {
        st.rollbackTo.run();
        st.release.run();
        done.push([job, false, e]);
      }
    }
    try {
      db.exec('COMMIT');
    } catch (e) {
      try {
        db.exec('ROLLBACK');
      } catch {
        /* already rolled back */
      }
      for (const j of jobs) j.reject(e);
      return;
    }
    for (const [job, ok, value] of done) (ok ? job.resolve : job.reject)(value);
    this.events.committed(published);
    if (this.checkpointer && this.checkpointer.status.lastLogFrames > this.walRestartFrames) this.restartWal();
  }

  /**
   * Lets the WAL start over (see {@link WAL_RESTART_FRAMES}): a RESTART checkpoint that never
   * waits: if the background thread is mid-checkpoint it answers busy and the next report
   * of the thread tries again. Tried once per report of the thread.
   */
  private restartWal(): void {
    const status = (this.checkpointer as Checkpointer).status;
    if (status.rounds === this.restartTriedAt) return;
    this.restartTriedAt = status.rounds;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.pragma('wal_checkpoint(RESTART)');
    } catch {
      /* busy: the next report tries again */
    } finally {
      this.db.pragma('busy_timeout = 5000');
    }
  }

  /** Loads a unit's orders. */
  private load(spec: LoadSpec): Loaded {
    const st = this.st;
    const byId = new Map<string, Order>();
    const byClientOid = new Map<string, Order>();
    const scoped: Order[] = [];
    const ids = spec.orderIds;
    if (ids && ids.length > 0) {
      const rows = (
        spec.uid !== null
          ? ids.length === 1
            ? st.byIdOfUid.all(spec.uid, ids[0])
            : st.byIdsOfUid.all(spec.uid, JSON.stringify(ids))
          : ids.length === 1
            ? st.byIdAny.all(ids[0])
            : st.byIdsAny.all(JSON.stringify(ids))
      ) as string[];
      for (const r of rows) {
        const o = jsonToOrder(r);
        byId.set(o.orderId, o);
      }
    }
    if (spec.clientOids && spec.uid !== null) {
      for (const c of spec.clientOids) {
        if (byClientOid.has(c)) continue;
        const r = st.byClientOid.get(spec.uid, c) as string | undefined;
        if (r) byClientOid.set(c, jsonToOrder(r));
      }
    }
    if (spec.scope) {
      const { where, args } = scopeWhere(spec.scope);
      // the partial index of open orders: cost follows the open orders, not the uid's history;
      // iterate (not all) so each raw row dies young instead of 100k of them surviving a GC
      const sql = `SELECT ${ORDER_JSON} FROM orders INDEXED BY orders_open WHERE ${where} ORDER BY ${sqlOrderBy(scopeSelection(spec.scope).orderBy)}`;
      for (const r of this.prepared(sql, true).iterate(...args) as IterableIterator<string>) scoped.push(jsonToOrder(r));
    }
    const loaded: Loaded = { byId, byClientOid, scoped };
    return this.loadMoney(spec, loaded);
  }

  /** Adds the unit's balances, positions, settings and posModes to `loaded` (see LoadSpec). */
  private loadMoney(spec: LoadSpec, loaded: Loaded): Loaded {
    const refs = [...(spec.balances ?? []), ...(spec.heldBalances ? heldRefs(loaded) : [])];
    if (refs.length === 0 && !spec.symbols && !spec.posModes) return loaded;
    const st = this.st;
    const balances = new Map<string, Balance>();
    const byUid = new Map<string, Set<string>>();
    for (const r of refs) {
      let set = byUid.get(r.uid);
      if (!set) byUid.set(r.uid, (set = new Set()));
      set.add(`${r.account}|${r.coin}`);
    }
    for (const [uid, keys] of byUid) {
      for (const r of st.balancesOfUid.all(uid, JSON.stringify([...keys])) as MoneyRow[]) {
        balances.set(balanceKey(r.uid as string, r.account as string, r.coin as string), { available: r.available as string, frozen: r.frozen as string });
      }
    }
    const positions = new Map<string, Position>();
    const settings = new Map<string, SymbolSettings>();
    for (const s of spec.symbols ?? []) {
      for (const r of st.positionsOf.all(s.uid, s.account, s.symbol) as MoneyRow[]) {
        const p = positionFromRow(r);
        positions.set(positionKey(p.uid, p.account, p.symbol, p.holdSide), p);
      }
      const row = st.settingsOf.get(s.uid, s.account, s.symbol) as MoneyRow | undefined;
      if (row) settings.set(settingsKey(s.uid, s.account, s.symbol), settingsFromRow(row));
    }
    const posModes = new Map<string, PosMode>();
    for (const m of spec.posModes ?? []) {
      const v = st.posModeOf.get(m.uid, m.productType) as PosMode | undefined;
      if (v) posModes.set(posModeKey(m.uid, m.productType), v);
    }
    return { ...loaded, balances, positions, settings, posModes };
  }

  /** Writes a unit's money (entries, balances, positions, trades, settings) at `now` ms. */
  private writeMoney(w: Writes, now: number): void {
    const m = w.money;
    if (!m) return;
    const st = this.st;
    for (const e of m.entries) st.entryInsert.run(e.uid, e.account, e.coin, e.reason, e.available, e.frozen, e.orderId, e.tradeId, now);
    for (const [k, b] of m.balances) {
      const [uid, account, coin] = k.split('|');
      st.balanceUpsert.run(uid, account, coin, b.available, b.frozen, now);
    }
    for (const [k, p] of m.positions ?? []) {
      if (p === null) {
        const [uid, account, symbol, side] = k.split('|');
        st.positionDelete.run(uid, account, symbol, side);
      } else {
        st.positionUpsert.run(p.uid, p.account, p.symbol, p.holdSide, p.productType, p.marginCoin, p.marginMode, p.leverage, p.size, p.openValue, p.margin, p.achievedProfits, p.totalFee, now);
      }
    }
    for (const t of m.trades ?? []) {
      st.tradeInsert.run(t.tradeId, t.orderId, t.uid, t.category, t.symbol, t.side, t.price, t.size, t.quoteVolume, t.fee, t.feeCoin, t.liquidity, t.realisedPnl, t.tradeSide, Number(t.cTime));
    }
    for (const [k, v] of m.settings ?? []) {
      const [uid, account, symbol] = k.split('|');
      st.settingsUpsert.run(uid, account, symbol, v.marginMode, v.crossedLeverage, v.longLeverage, v.shortLeverage);
    }
    for (const [k, v] of m.posModes ?? []) {
      const [uid, productType] = k.split('|');
      st.posModeUpsert.run(uid, productType, v);
    }
  }

  private write(w: Writes, spec: LoadSpec, loaded: Loaded): void {
    const st = this.st;
    for (const o of w.inserts) st.insert.run(...orderToValues(o, 'sqlite'));
    this.writeMoney(w, Date.now());
    if (w.updates.length === 0) return;
    if (w.inserts.length === 0 && this.updateWholeScope(w.updates, spec, loaded)) return;
    this.applyUpdates(w.updates, spec.uid, loaded);
  }

  /**
   * Cancel-all fast path: when a unit's updates are exactly its scoped orders, in load order,
   * all setting the same values, and there are many, one UPDATE over the scope's WHERE (bounded
   * to the loaded ids' range) replaces the per-id lookups. Nothing else ran in this transaction
   * since the load, so that WHERE matches exactly the loaded orders; the change count is checked.
   * @returns false when the fast path does not apply (nothing was written).
   */
  private updateWholeScope(updates: readonly OrderUpdate[], spec: LoadSpec, loaded: Loaded): boolean {
    const scope = spec.scope;
    const n = updates.length;
    if (!scope || scope.uid !== spec.uid || n < SCOPE_UPDATE_MIN || loaded.scoped.length !== n) return false;
    const u0 = updates[0];
    for (let i = 0; i < n; i++) {
      const u = updates[i];
      if (
        u.orderId !== loaded.scoped[i].orderId ||
        u.status !== u0.status ||
        u.filledSize !== u0.filledSize ||
        u.filledQuote !== u0.filledQuote ||
        u.uTime !== u0.uTime ||
        u.cancelReason !== u0.cancelReason ||
        u.held !== u0.held ||
        u.fee !== u0.fee ||
        u.feeCoin !== u0.feeCoin
      ) {
        return false;
      }
    }
    const { where, args } = scopeWhere(scope);
    const changed = this.prepared(`${UPDATE_SET} WHERE ${where} AND order_id >= ? AND order_id <= ?`).run(
      u0.status,
      u0.filledSize,
      u0.filledQuote,
      Number(u0.uTime),
      u0.cancelReason,
      isOpenStatus(u0.status),
      u0.held ?? null,
      u0.fee ?? null,
      u0.feeCoin ?? null,
      ...args,
      loaded.scoped[0].orderId,
      loaded.scoped[n - 1].orderId,
    ).changes;
    if (changed !== n) throw new Error(`scope update changed ${changed} orders, expected ${n}`);
    return true;
  }

  /**
   * Applies updates with as few statements as possible. The owner of an updated order is taken
   * to be the unit's uid (or, for admin units, the loaded order's), so the statement can use
   * the (uid, order_id) key; updates setting the same values (a batch cancel: all of them) are
   * one `UPDATE ... IN (json_each(?))`. Should fewer rows change than ids given (an order of
   * another uid), the group is re-applied by order_id alone, so every update lands exactly as
   * `UPDATE ... WHERE order_id = ?` would. An order updated twice in one unit falls back to
   * one statement per update, in order.
   */
  private applyUpdates(updates: readonly OrderUpdate[], unitUid: string | null, loaded: Loaded): void {
    const st = this.st;
    const ownerOf = (orderId: string): string | undefined => unitUid ?? loaded.byId.get(orderId)?.uid;
    const values = (u: OrderUpdate) => [
      u.status,
      u.filledSize,
      u.filledQuote,
      Number(u.uTime),
      u.cancelReason,
      isOpenStatus(u.status),
      u.held ?? null,
      u.fee ?? null,
      u.feeCoin ?? null,
    ];
    const one = (u: OrderUpdate) => {
      const uid = ownerOf(u.orderId);
      const vals = values(u);
      if (uid === undefined || st.updateOfUid.run(...vals, uid, u.orderId).changes === 0) st.updateAny.run(...vals, u.orderId);
    };
    if (updates.length === 1) return one(updates[0]);
    const groups = new Map<string, { u: OrderUpdate; uid: string; ids: string[] }>();
    const seen = new Set<string>();
    const loose: OrderUpdate[] = [];
    for (const u of updates) {
      if (seen.has(u.orderId)) {
        for (const x of updates) one(x);
        return;
      }
      seen.add(u.orderId);
      const uid = ownerOf(u.orderId);
      if (uid === undefined) {
        loose.push(u);
        continue;
      }
      const key = `${uid}\u0000${u.status}\u0000${u.filledSize}\u0000${u.filledQuote}\u0000${u.uTime}\u0000${u.cancelReason}\u0000${u.held}\u0000${u.fee}\u0000${u.feeCoin}`;
      const g = groups.get(key);
      if (g) g.ids.push(u.orderId);
      else groups.set(key, { u, uid, ids: [u.orderId] });
    }
    for (const { u, uid, ids } of groups.values()) {
      const vals = values(u);
      const changed = ids.length === 1 ? st.updateOfUid.run(...vals, uid, ids[0]).changes : st.updateManyOfUid.run(...vals, uid, JSON.stringify(ids)).changes;
      if (changed < ids.length) for (const id of ids) st.updateAny.run(...vals, id);
    }
    for (const u of loose) one(u);
  }

  async getOrder(uid: string, ref: { orderId?: string; clientOid?: string }): Promise<Order | undefined> {
    const r = ref.orderId
      ? (this.st.byIdOfUid.get(uid, ref.orderId) as string | undefined)
      : ref.clientOid
        ? (this.st.byClientOid.get(uid, ref.clientOid) as string | undefined)
        : undefined;
    return r ? jsonToOrder(r) : undefined;
  }

  async listOrders(q: OrderQuery): Promise<Order[]> {
    const sel = querySelection(q);
    const { where, args } = whereOf(sel.where);
    // open orders through their partial index; history by scanning the uid's orders newest first
    const from = q.open ? 'orders INDEXED BY orders_open' : 'orders';
    const sql = `SELECT ${ORDER_JSON} FROM ${from} WHERE ${where} ORDER BY ${sqlOrderBy(sel.orderBy)} LIMIT ?`;
    return (this.prepared(sql, true).all(...args, sel.limit) as string[]).map(jsonToOrder);
  }

  async instanceId(): Promise<number> {
    return 0;
  }

  /** Sequence of the newest committed event in the outbox (0 when none). */
  private newestEvent(): number {
    return Number((this.st.eventsNewest.get() as number | undefined) ?? 0);
  }

  /** The outbox's events with `after < seq <= upTo`, in sequence order. */
  private readEvents(after: number, upTo: number): StoredEvent[] {
    const rows = this.st.eventsRead.all(after, upTo) as UnitRow[];
    const events = decodeUnits(rows, (ids) => {
      const orders = new Map<string, Order>();
      for (const r of this.st.byIdsAny.all(JSON.stringify(ids)) as string[]) {
        const o = jsonToOrder(r);
        orders.set(o.orderId, o);
      }
      return orders;
    });
    return events.filter((e) => e.seq > after && e.seq <= upTo);
  }

  async pruneEvents(keep: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      if (!this.db.open) return deleted;
      const cutoff = this.newestEvent() - keep;
      if (cutoff <= 0) return deleted;
      // small batches, each its own short transaction, yielding between: commits are never held up long
      const n = (this.st.eventsPrune.all(cutoff, PRUNE_BATCH) as number[]).reduce((a, b) => a + b, 0);
      deleted += n;
      if (n === 0) return deleted;
      await new Promise((r) => setImmediate(r));
    }
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.checkpointer?.stop();
    if (this.queue.length > 0) this.flush();
    this.db.close();
  }

  /** Background checkpointer figures (undefined for in-memory stores or inline checkpoints). */
  checkpointStatus(): Checkpointer['status'] | undefined {
    return this.checkpointer?.status;
  }

  // ---- money reads -----------------------------------------------------------------------

  private opening?: OpeningEntries;

  setOpening(opening: OpeningEntries | undefined): void {
    this.opening = opening;
  }

  async accountState(uid: string): Promise<AccountState> {
    const db = this.db;
    const balances = (db.prepare(`SELECT uid, account, coin, available, frozen FROM balances WHERE uid = ? ORDER BY account, coin`).all(uid) as MoneyRow[]).map(
      (r) => ({ uid, account: r.account as string, coin: r.coin as string, available: r.available as string, frozen: r.frozen as string }),
    );
    const positions = (db.prepare(`SELECT * FROM positions WHERE uid = ? ORDER BY account, symbol, hold_side`).all(uid) as MoneyRow[]).map(positionFromRow);
    const settings = new Map<string, SymbolSettings>();
    for (const r of db.prepare(`SELECT * FROM symbol_settings WHERE uid = ?`).all(uid) as MoneyRow[]) settings.set(`${r.account}|${r.symbol}`, settingsFromRow(r));
    const posModes = new Map<string, PosMode>();
    for (const r of db.prepare(`SELECT * FROM pos_modes WHERE uid = ?`).all(uid) as MoneyRow[]) posModes.set(r.product_type as string, r.pos_mode as PosMode);
    return { balances, positions, settings, posModes };
  }

  async listTrades(q: TradeQuery): Promise<StoredTrade[]> {
    const args: unknown[] = [q.uid, JSON.stringify(q.categories)];
    let where = `uid = ? AND category IN (SELECT value FROM json_each(?))`;
    if (q.symbol) (where += ' AND symbol = ?'), args.push(q.symbol);
    if (q.orderId) (where += ' AND order_id = ?'), args.push(q.orderId);
    if (q.idLessThan) (where += ' AND trade_id < ?'), args.push(q.idLessThan);
    if (q.startTime !== undefined) (where += ' AND c_time >= ?'), args.push(q.startTime);
    if (q.endTime !== undefined) (where += ' AND c_time <= ?'), args.push(q.endTime);
    const rows = this.db.prepare(`SELECT * FROM trades WHERE ${where} ORDER BY trade_id DESC LIMIT ?`).all(...args, q.limit) as MoneyRow[];
    return rows.map(tradeFromRow);
  }

  async listEntries(uid: string, limit: number, account?: string): Promise<Array<LedgerEntry & { id: string; ts: string }>> {
    const rows = (
      account
        ? this.db.prepare(`SELECT * FROM ledger WHERE uid = ? AND account = ? ORDER BY id DESC LIMIT ?`).all(uid, account, limit)
        : this.db.prepare(`SELECT * FROM ledger WHERE uid = ? ORDER BY id DESC LIMIT ?`).all(uid, limit)
    ) as MoneyRow[];
    return rows.map(entryFromRow);
  }

  // ---- KeyStore -------------------------------------------------------------------------

  async ensureAccount(uid: string, mode: AccountMode): Promise<Account> {
    const now = Date.now();
    return this.db
      .transaction(() => {
        const row = this.db.prepare(`SELECT * FROM accounts WHERE uid = ?`).get(uid) as Row | undefined;
        if (row) {
          if (row.mode !== mode) throw new Error(`UID ${uid} exists in ${String(row.mode)} mode, not ${mode}`);
          return { uid, mode, createdAt: Number(row.created_at) };
        }
        this.db.prepare(`INSERT INTO accounts (uid, mode, created_at) VALUES (?, ?, ?)`).run(uid, mode, now);
        this.st.bumpKeys.run();
        const entries = this.opening?.(uid, mode) ?? [];
        if (entries.length > 0) this.writeMoney({ inserts: [], updates: [], money: openingMoney(entries) }, now);
        return { uid, mode, createdAt: now };
      })
      .immediate();
  }

  async getAccount(uid: string): Promise<Account | undefined> {
    const r = this.db.prepare(`SELECT * FROM accounts WHERE uid = ?`).get(uid) as Row | undefined;
    return r ? rowToAccount(r) : undefined;
  }

  async listAccounts(): Promise<Account[]> {
    const rows = this.db.prepare(`SELECT * FROM accounts ORDER BY ${ACCOUNT_ORDER}`).all() as Row[];
    return rows.map(rowToAccount);
  }

  async insertKey(rec: ApiKeyRecord): Promise<void> {
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO api_keys (api_key, uid, permission, ips, secret_enc, passphrase_hash, label, created_at, revoked_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(rec.apiKey, rec.uid, rec.permission, rec.ips.join(','), rec.secretEnc, rec.passphraseHash, rec.label, rec.createdAt, rec.revokedAt);
        this.st.bumpKeys.run();
      })
      .immediate();
  }

  async listKeys(): Promise<ApiKeyRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM api_keys ORDER BY ${KEY_ORDER}`).all() as Row[];
    return rows.map(rowToApiKey);
  }

  async revokeKey(apiKey: string, now: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        const res = this.db
          .prepare(`UPDATE api_keys SET revoked_at = ? WHERE api_key = ? AND revoked_at IS NULL`)
          .run(now, apiKey);
        if (res.changes > 0) this.st.bumpKeys.run();
        return res.changes > 0;
      })
      .immediate();
  }

  async keysVersion(): Promise<number> {
    return Number((this.st.keysVersion.get() as Row).value);
  }
}
