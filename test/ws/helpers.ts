/**
 * WebSocket test harness: a listening ordergate with a test-only in-memory EventBus fake (or,
 * with `realBus`, the store's own event stream), keys for every account mode, a small
 * frame-collecting client, a signed REST call over HTTP, and hand-built orders.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createApp, type OrdergateApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Order } from '../../src/domain/types.js';
import type { DomainEvent, EventBus, StoredEvent, Subscription } from '../../src/events/types.js';
import { dropPostgresSchema } from '../../src/store/postgres/index.js';
import { TEST_STORE, freshSchemaUrl, makeTestKeys, type TestKey } from '../helpers.js';

/** TEST-ONLY EventBus: `publish` delivers at once, in call order, with increasing `seq`. */
export class FakeBus implements EventBus {
  private handlers = new Set<(events: readonly StoredEvent[]) => void>();
  private seq = 0;

  subscribe(handler: (events: readonly StoredEvent[]) => void): Subscription {
    this.handlers.add(handler);
    return { close: () => this.handlers.delete(handler) };
  }

  lastSequence(): number {
    return this.seq;
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }

  /** Publishes one committed batch. */
  publish(...events: DomainEvent[]): void {
    const batch: StoredEvent[] = events.map((event) => ({
      seq: ++this.seq,
      ts: Date.now(),
      uid: 'order' in event ? event.order.uid : null,
      event,
    }));
    for (const h of this.handlers) h(batch);
  }
}

/** A listening server with keys and the fake bus. */
export interface WsTestServer {
  og: OrdergateApp;
  /** The fake bus (unused by the server when started with `realBus`). */
  bus: FakeBus;
  /** How another process reaches the same store: `['--db', file]` or `['--database-url', url]` (`sqliteFile` or PostgreSQL only). */
  storeArgs: string[];
  baseUrl: string;
  /** `ws://127.0.0.1:PORT` */
  wsBase: string;
  classic: TestKey;
  other: TestKey;
  readOnly: TestKey;
  unified: TestKey;
  otherUnified: TestKey;
  close(): Promise<void>;
}

/** How {@link startWsServer} runs. */
export interface WsServerMode {
  /** Push from the store's real event stream (the engine's commits) instead of the fake bus. */
  realBus?: boolean;
  /** On the SQLite pass, a temporary SQLite FILE (another process can open it) instead of :memory:. */
  sqliteFile?: boolean;
}

/** Starts a listening server on port 0 (rate limits off unless overridden). */
export async function startWsServer(overrides: Partial<Config> = {}, mode: WsServerMode = {}): Promise<WsTestServer> {
  const pgUrl = TEST_STORE === 'postgres' ? freshSchemaUrl('ws') : undefined;
  const dir = !pgUrl && mode.sqliteFile ? mkdtempSync(join(tmpdir(), 'og-ws-')) : undefined;
  const dbPath = dir ? join(dir, 'og.db') : ':memory:';
  const config: Config = {
    ...loadConfig({}),
    dbPath,
    databaseUrl: pgUrl,
    logLevel: 'silent',
    demoKeys: false,
    rateLimit: false,
    keyPollMs: 100,
    ...overrides,
  };
  const bus = new FakeBus();
  const og = await createApp(config, mode.realBus ? {} : { bus });
  const { classic, other, readOnly, unified, otherUnified } = await makeTestKeys(og);
  const baseUrl = await og.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    og,
    bus,
    storeArgs: pgUrl ? ['--database-url', pgUrl] : dir ? ['--db', dbPath] : [],
    baseUrl,
    wsBase: baseUrl.replace(/^http/, 'ws'),
    classic,
    other,
    readOnly,
    unified,
    otherUnified,
    async close() {
      try {
        await og.close();
      } finally {
        if (pgUrl) await dropPostgresSchema(pgUrl);
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Bitget WS login sign: base64(HMAC-SHA256(secret, ts + "GET" + "/user/verify")). */
export function wsSign(secret: string, ts: string | number): string {
  return createHmac('sha256', secret).update(`${ts}GET/user/verify`).digest('base64');
}

/** A login frame for `k` (timestamp in seconds, as a string unless `numeric`). */
export function loginFrame(k: TestKey, opts: { numeric?: boolean; ts?: number; sign?: string } = {}): object {
  const secs = opts.ts ?? Math.round(Date.now() / 1000);
  const timestamp = opts.numeric ? secs : String(secs);
  return { op: 'login', args: [{ apiKey: k.apiKey, passphrase: k.passphrase, timestamp, sign: opts.sign ?? wsSign(k.secretKey, timestamp) }] };
}

/** A raw client that collects every frame (text frames parsed as JSON when they are JSON). */
export class TestClient {
  readonly frames: unknown[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];
  private cursor = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      let v: unknown = text;
      try {
        v = JSON.parse(text);
      } catch {
        /* plain text, e.g. pong */
      }
      this.frames.push(v);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Opens `url`; rejects with the HTTP status when the upgrade is refused. */
  static open(url: string): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('unexpected-response', (_req, res) => {
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }));
        res.resume();
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame not yet taken (waits up to `ms`). */
  async next(ms = 5000): Promise<any> {
    const deadline = Date.now() + ms;
    while (this.cursor >= this.frames.length) {
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) while waiting for a frame`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.frames[this.cursor++];
  }

  /** Resolves once the socket has closed (waits up to `ms`). */
  async waitClosed(ms = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('socket still open');
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.closed;
  }

  /** Frames received after the ones already taken, without waiting. */
  rest(): unknown[] {
    return this.frames.slice(this.cursor);
  }

  close(): void {
    this.ws.terminate();
  }
}

let oid = 1_000_000_000_000_000_000n;

/** A canonical order (defaults: classic UID 1001, spot BTCUSDT limit buy, live). */
export function order(o: Partial<Order> = {}): Order {
  const now = String(Date.now());
  return {
    orderId: String(oid++),
    clientOid: '',
    uid: '1001',
    category: 'SPOT',
    marginMode: null,
    symbol: 'BTCUSDT',
    side: 'buy',
    orderType: 'limit',
    force: 'gtc',
    price: '30000',
    size: '0.01',
    filledSize: '0',
    filledQuote: '0',
    status: 'live',
    marginCoin: null,
    extra: {},
    cTime: now,
    uTime: now,
    cancelReason: '',
    ...o,
  };
}

/** Polls `cond` every 20 ms until true (up to `ms`). */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A signed Bitget REST call over HTTP to `baseUrl` (as a bot sends it). Returns the envelope;
 * throws when the HTTP status is not 200 or `code` is not `00000`, unless `loose`.
 */
export async function rest(baseUrl: string, k: TestKey, method: 'GET' | 'POST', path: string, body?: unknown, loose = false): Promise<any> {
  const text = method === 'POST' ? JSON.stringify(body ?? {}) : '';
  const ts = String(Date.now());
  const sign = createHmac('sha256', k.secretKey).update(ts + method + path + text).digest('base64');
  const res = await fetch(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', 'access-key': k.apiKey, 'access-passphrase': k.passphrase, 'access-timestamp': ts, 'access-sign': sign, locale: 'en-US' },
    ...(method === 'POST' ? { body: text } : {}),
  });
  const env = (await res.json()) as any;
  if (!loose && (res.status !== 200 || env.code !== '00000')) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(env)}`);
  return env;
}

/** One order change as the event stream committed it. */
export interface Committed {
  seq: number;
  orderId: string;
  uid: string;
  category: string;
  status: string;
  cancelReason: string;
}

/** Records every order event of `bus`, in the bus's order (the truth pushes are checked against). */
export function recordOrders(bus: EventBus): { list: Committed[]; close(): void } {
  const list: Committed[] = [];
  const sub = bus.subscribe((events) => {
    for (const e of events) {
      const ev = e.event;
      if (ev.kind !== 'order.created' && ev.kind !== 'order.updated') continue;
      const o = ev.order;
      list.push({ seq: e.seq, orderId: o.orderId, uid: o.uid, category: o.category, status: o.status, cancelReason: o.cancelReason });
    }
  });
  return { list, close: () => sub.close() };
}
