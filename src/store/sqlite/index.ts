/**
 * The embedded store: one SQLite file (better-sqlite3), WAL journal, `synchronous=FULL`, so a
 * committed transaction is on disk before `execute` resolves.
 *
 * Group commit: units of work queued during one event-loop turn run in ONE transaction (each
 * in its own savepoint, so one failing unit rolls back alone) and share one fsync. Units run
 * one after another, so two batches can never both cancel the same order.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AccountMode, Order } from '../../domain/types.js';
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
import { SQLITE_MIGRATIONS } from './schema.js';

type Row = Record<string, unknown>;

/** Maps a row of `orders` to an {@link Order}. */
export function rowToOrder(r: Row): Order {
  return {
    orderId: r.order_id as string,
    clientOid: r.client_oid as string,
    uid: r.uid as string,
    category: r.category as Order['category'],
    marginMode: (r.margin_mode as Order['marginMode']) ?? null,
    symbol: r.symbol as string,
    side: r.side as Order['side'],
    orderType: r.order_type as Order['orderType'],
    force: r.force as Order['force'],
    price: r.price as string,
    size: r.size as string,
    filledSize: r.filled_size as string,
    filledQuote: r.filled_quote as string,
    status: r.status as Order['status'],
    marginCoin: (r.margin_coin as string | null) ?? null,
    extra: JSON.parse(r.extra as string) as Record<string, string>,
    cTime: String(r.c_time),
    uTime: String(r.u_time),
    cancelReason: r.cancel_reason as string,
  };
}

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
}

/** The embedded SQLite {@link OrderStore}. */
export class SqliteStore implements OrderStore, KeyStore {
  readonly kind = 'sqlite' as const;
  readonly keys: KeyStore = this;
  readonly db: Database.Database;
  private queue: Job[] = [];
  private scheduled = false;
  private readonly st;

  constructor(opts: SqliteOptions) {
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.durable === false ? 'OFF' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    const db = this.db;
    this.st = {
      byIds: db.prepare(
        `SELECT * FROM orders WHERE order_id IN (SELECT value FROM json_each(?)) AND (? IS NULL OR uid = ?)`,
      ),
      byClientOid: db.prepare(
        `SELECT * FROM orders WHERE uid = ? AND client_oid = ? ORDER BY is_open DESC, c_time DESC LIMIT 1`,
      ),
      byId: db.prepare(`SELECT * FROM orders WHERE order_id = ? AND uid = ?`),
      insert: db.prepare(
        `INSERT INTO orders (order_id, uid, client_oid, category, margin_mode, symbol, side, order_type, force,
           price, size, filled_size, filled_quote, status, margin_coin, extra, c_time, u_time, cancel_reason, is_open)
         VALUES (@orderId, @uid, @clientOid, @category, @marginMode, @symbol, @side, @orderType, @force,
           @price, @size, @filledSize, @filledQuote, @status, @marginCoin, @extra, @cTime, @uTime, @cancelReason, @isOpen)`,
      ),
      update: db.prepare(
        `UPDATE orders SET status = @status, filled_size = @filledSize, filled_quote = @filledQuote,
           u_time = @uTime, cancel_reason = @cancelReason, is_open = @isOpen WHERE order_id = @orderId`,
      ),
      keysVersion: db.prepare(`SELECT value FROM meta WHERE key = 'keys_version'`),
      bumpKeys: db.prepare(`UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'keys_version'`),
    };
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
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      for (const j of jobs) j.reject(e);
      return;
    }
    for (const job of jobs) {
      db.exec('SAVEPOINT unit');
      try {
        const { writes, result } = job.decide(this.load(job.spec));
        this.write(writes);
        db.exec('RELEASE unit');
        done.push([job, true, result]);
      } catch (e) {
        db.exec('ROLLBACK TO unit');
        db.exec('RELEASE unit');
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
  }

  private load(spec: LoadSpec): Loaded {
    const byId = new Map<string, Order>();
    const byClientOid = new Map<string, Order>();
    let scoped: Order[] = [];
    if (spec.orderIds && spec.orderIds.length > 0) {
      const rows = this.st.byIds.all(JSON.stringify(spec.orderIds), spec.uid, spec.uid) as Row[];
      for (const r of rows) byId.set(r.order_id as string, rowToOrder(r));
    }
    if (spec.clientOids && spec.uid !== null) {
      for (const c of spec.clientOids) {
        if (byClientOid.has(c)) continue;
        const r = this.st.byClientOid.get(spec.uid, c) as Row | undefined;
        if (r) byClientOid.set(c, rowToOrder(r));
      }
    }
    if (spec.scope) {
      const s = spec.scope;
      const where = ['uid = ?', 'is_open = 1', `category IN (${s.categories.map(() => '?').join(',')})`];
      const args: unknown[] = [s.uid, ...s.categories];
      if (s.symbol) (where.push('symbol = ?'), args.push(s.symbol));
      if (s.marginCoin) (where.push('margin_coin = ?'), args.push(s.marginCoin));
      if (s.marginMode) (where.push('margin_mode = ?'), args.push(s.marginMode));
      const rows = this.db
        .prepare(`SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY order_id`)
        .all(...args) as Row[];
      scoped = rows.map(rowToOrder);
    }
    return { byId, byClientOid, scoped };
  }

  private write(w: Writes): void {
    for (const o of w.inserts) {
      this.st.insert.run({
        ...o,
        extra: JSON.stringify(o.extra),
        cTime: Number(o.cTime),
        uTime: Number(o.uTime),
        isOpen: o.status === 'live' || o.status === 'partially_filled' ? 1 : 0,
      });
    }
    for (const u of w.updates) this.applyUpdate(u);
  }

  private applyUpdate(u: OrderUpdate): void {
    this.st.update.run({
      ...u,
      uTime: Number(u.uTime),
      isOpen: u.status === 'live' || u.status === 'partially_filled' ? 1 : 0,
    });
  }

  async getOrder(uid: string, ref: { orderId?: string; clientOid?: string }): Promise<Order | undefined> {
    const r = ref.orderId
      ? (this.st.byId.get(ref.orderId, uid) as Row | undefined)
      : ref.clientOid
        ? (this.st.byClientOid.get(uid, ref.clientOid) as Row | undefined)
        : undefined;
    return r ? rowToOrder(r) : undefined;
  }

  async listOrders(q: OrderQuery): Promise<Order[]> {
    const where = ['uid = ?', `is_open = ${q.open ? 1 : 0}`, `category IN (${q.categories.map(() => '?').join(',')})`];
    const args: unknown[] = [q.uid, ...q.categories];
    if (q.symbol) (where.push('symbol = ?'), args.push(q.symbol));
    if (q.marginMode) (where.push('margin_mode = ?'), args.push(q.marginMode));
    if (q.idLessThan) (where.push('order_id < ?'), args.push(q.idLessThan));
    if (q.startTime !== undefined) (where.push('c_time >= ?'), args.push(q.startTime));
    if (q.endTime !== undefined) (where.push('c_time <= ?'), args.push(q.endTime));
    const rows = this.db
      .prepare(`SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY order_id DESC LIMIT ?`)
      .all(...args, q.limit) as Row[];
    return rows.map(rowToOrder);
  }

  async instanceId(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    this.db.close();
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
        return { uid, mode, createdAt: now };
      })
      .immediate();
  }

  async getAccount(uid: string): Promise<Account | undefined> {
    const r = this.db.prepare(`SELECT * FROM accounts WHERE uid = ?`).get(uid) as Row | undefined;
    return r ? { uid, mode: r.mode as AccountMode, createdAt: Number(r.created_at) } : undefined;
  }

  async listAccounts(): Promise<Account[]> {
    const rows = this.db.prepare(`SELECT * FROM accounts ORDER BY created_at`).all() as Row[];
    return rows.map((r) => ({ uid: r.uid as string, mode: r.mode as AccountMode, createdAt: Number(r.created_at) }));
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
    const rows = this.db.prepare(`SELECT * FROM api_keys ORDER BY created_at, api_key`).all() as Row[];
    return rows.map((r) => ({
      apiKey: r.api_key as string,
      uid: r.uid as string,
      permission: r.permission as 'read' | 'trade',
      ips: (r.ips as string) ? (r.ips as string).split(',') : [],
      secretEnc: r.secret_enc as string,
      passphraseHash: r.passphrase_hash as string,
      label: r.label as string,
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    }));
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
