/**
 * The PostgreSQL store's {@link EventBus}: every instance sees every instance's events.
 *
 * Units write their events to the `events` outbox table under sequences assigned in commit
 * order (a one-row counter updated as the last statement before COMMIT, see
 * store/postgres/index.ts) and `NOTIFY` the schema's channel in the same transaction, which
 * PostgreSQL delivers only on commit. Each instance LISTENs on a dedicated connection and, when
 * woken (or every `pollMs`, in case a notification was lost), reads `seq > last ORDER BY seq`
 * from the table. A sequence is visible only after every smaller one is (the counter's row lock
 * is released after the commit is visible), so reading by sequence never skips; a gap that
 * persists past `gapWaitMs` can only be a unit retention already deleted, and is passed over.
 *
 * The listener connection may drop (server restart, pg_terminate_backend): it reconnects with
 * backoff (100 ms doubling to 5 s), LISTENs again and catches up by sequence; nothing is lost
 * and the process does not crash.
 */
import pg from 'pg';
import type { Order } from '../domain/types.js';
import { decodeUnits, type OrderLoader } from './build.js';
import { SequencedBus } from './bus.js';
import type { StoredEvent } from './types.js';

/** Options of {@link PostgresEventBus.start}. Times in ms. */
export interface PostgresBusOptions {
  /** Pool used for reading the outbox. */
  pool: pg.Pool;
  /** Connection settings of the dedicated listener connection. */
  listener: pg.ClientConfig;
  /** NOTIFY channel of this schema. */
  channel: string;
  /** Loads orders by id (the final orders the outbox refers to instead of copying them). */
  loadOrders: PgOrderLoader;
  /** Safety poll of the outbox (default 2000). */
  pollMs?: number;
  /** How long a gap in the sequence is waited for before it is taken as pruned (default 2000). */
  gapWaitMs?: number;
  /** Listener connection problems and handler errors (default: ignored). */
  onError?: (e: Error) => void;
}

/** Outbox units read per query. */
const READ_UNITS = 1000;

interface Row {
  seq: string;
  ts: string;
  body: Buffer;
}

/** Loads orders by id for the final orders outbox entries refer to (the store's row mapping). */
export type PgOrderLoader = OrderLoader<Promise<ReadonlyMap<string, Order>>>;

/** Reads whole units overlapping (after, upTo] (upTo null: no bound), at most READ_UNITS. */
async function readUnits(pool: pg.Pool, loadOrders: PgOrderLoader, after: number, upTo: number | null): Promise<StoredEvent[]> {
  const r = await pool.query<Row>(
    `SELECT seq, ts, body FROM events
      WHERE seq >= COALESCE((SELECT MAX(seq) FROM events WHERE seq <= $1::bigint + 1), 0) AND ($2::bigint IS NULL OR seq <= $2)
      ORDER BY seq LIMIT ${READ_UNITS}`,
    [after, upTo],
  );
  const rows = r.rows.map((x) => ({ seq: Number(x.seq), ts: Number(x.ts), body: x.body }));
  const events = await decodeUnits(rows, loadOrders);
  return events.filter((e) => e.seq > after && (upTo === null || e.seq <= upTo));
}

/** LISTEN/NOTIFY bus over the PostgreSQL outbox; see the module doc. */
export class PostgresEventBus extends SequencedBus {
  private client?: pg.Client;
  private closed = false;
  private fetching = false;
  private again = false;
  private gapSince = 0;
  private reconnectDelay = 100;
  private reconnectTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private gapTimer?: NodeJS.Timeout;

  private constructor(
    private readonly opts: PostgresBusOptions,
    start: number,
  ) {
    super((after, upTo) => readUnits(opts.pool, opts.loadOrders, after, upTo), start, (e) => opts.onError?.(e as Error));
  }

  /**
   * Connects the listener, LISTENs, then reads the current last sequence (so nothing committed
   * after it can be missed).
   * @throws Error when PostgreSQL is unreachable at start.
   */
  static async start(opts: PostgresBusOptions): Promise<PostgresEventBus> {
    const client = await PostgresEventBus.listen(opts);
    let start: number;
    try {
      const r = await opts.pool.query<{ n: string }>(`SELECT n FROM event_seq`);
      start = Number(r.rows[0]?.n ?? 0);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    const bus = new PostgresEventBus(opts, start);
    bus.attach(client);
    bus.pollTimer = setInterval(() => bus.poke(), opts.pollMs ?? 2000);
    bus.pollTimer.unref();
    return bus;
  }

  private static async listen(opts: PostgresBusOptions): Promise<pg.Client> {
    const client = new pg.Client({ ...opts.listener, application_name: 'ordergate-events', keepAlive: true });
    client.on('error', () => undefined); // until attached; a failed connect also rejects below
    try {
      await client.connect();
      await client.query(`LISTEN "${opts.channel.replace(/"/g, '""')}"`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    return client;
  }

  /** Server process id of the listener connection (for tests that terminate it). */
  listenerPid(): number | undefined {
    return (this.client as (pg.Client & { processID?: number }) | undefined)?.processID;
  }

  private attach(client: pg.Client): void {
    this.client = client;
    client.removeAllListeners('error');
    client.on('notification', () => this.poke());
    const lost = (e?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.opts.onError?.(new Error(`event listener connection lost${e ? `: ${e.message}` : ''}; reconnecting`));
      this.scheduleReconnect();
    };
    client.on('error', (e) => lost(e));
    client.on('end', () => lost());
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(5000, delay * 2);
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = undefined;
      try {
        const client = await PostgresEventBus.listen(this.opts);
        if (this.closed) {
          await client.end().catch(() => undefined);
          return;
        }
        this.reconnectDelay = 100;
        this.attach(client);
        this.poke(); // catch up on everything committed while we were not listening
      } catch (e) {
        this.opts.onError?.(new Error(`event listener reconnect failed: ${(e as Error).message}`));
        this.scheduleReconnect();
      }
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Reads what was committed after the last delivered sequence (coalesced; one reader at a time). */
  poke(): void {
    if (this.closed) return;
    if (this.fetching) {
      this.again = true;
      return;
    }
    this.fetching = true;
    void this.fetch();
  }

  private async fetch(): Promise<void> {
    try {
      do {
        this.again = false;
        const got = await readUnits(this.opts.pool, this.opts.loadOrders, this.lastSequence(), null);
        if (this.closed) return;
        let n = 0;
        let expect = this.lastSequence() + 1;
        while (n < got.length && got[n].seq === expect) (n++, expect++);
        if (n < got.length && n === 0) {
          // a gap before the first event read: wait for it, or pass it over once it must be pruned
          const now = Date.now();
          if (this.gapSince === 0) this.gapSince = now;
          if (now - this.gapSince >= (this.opts.gapWaitMs ?? 2000)) {
            this.gapSince = 0;
            this.publish(got);
            this.again = true;
          } else if (!this.gapTimer) {
            this.gapTimer = setTimeout(() => ((this.gapTimer = undefined), this.poke()), 50);
            this.gapTimer.unref();
          }
          continue;
        }
        this.gapSince = 0;
        if (n > 0) this.publish(n === got.length ? got : got.slice(0, n));
        if (n < got.length || got.length >= READ_UNITS) this.again = true;
      } while (this.again && !this.closed);
    } catch (e) {
      if (!this.closed) this.opts.onError?.(e as Error); // the pool's connection failed: the next poke or poll retries
    } finally {
      this.fetching = false;
    }
  }

  override async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.gapTimer);
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => undefined);
    await super.close();
  }
}
