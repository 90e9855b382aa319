/**
 * Bench server process, driven by the runner over the IPC channel (one request, one reply,
 * matched by `id`). Modes:
 * - `bare`: a bare `node:http` server that reads the body and answers a fixed JSON (the ceiling);
 * - `app`: ordergate itself (`createApp`, rate limits ON), on a durable SQLite file, an in-memory
 *   SQLite (`:memory:`), or PostgreSQL (`DATABASE_URL`).
 * Seeding goes straight to the store (prepared statements in one transaction on SQLite; the
 * OrderStore interface otherwise), never through HTTP.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type OrdergateApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Order } from '../src/domain/types.js';
import { encryptSecret } from '../src/accounts/crypto.js';
import { hashPassphrase } from '../src/accounts/passphrase.js';
import { SqliteStore } from '../src/store/sqlite/index.js';
import { BENCH_PASSPHRASE, DIALECTS, benchKey, orderIdOf, serveCommands, type ChildMessage, type Dialect, type IdPlan } from './lib.js';

type Msg = ChildMessage;

let og: OrdergateApp | undefined;
let bare: Server | undefined;
let nextSeq = 0;

function sqlite(): SqliteStore | undefined {
  return og && og.store instanceof SqliteStore ? og.store : undefined;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  return typeof a === 'object' && a ? a.port : 0;
}

const BARE_REPLY = Buffer.from(JSON.stringify({ code: '00000', msg: 'success', requestTime: 1700000000000, data: { successList: [], failureList: [] } }));

async function start(m: Msg): Promise<unknown> {
  if (m.mode === 'bare') {
    bare = createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': BARE_REPLY.length });
        res.end(BARE_REPLY);
      });
    });
    bare.keepAliveTimeout = 60_000;
    return { port: await listen(bare) };
  }
  const store = m.store as 'durable' | 'memory' | 'pg';
  const config = {
    ...loadConfig({}),
    dbPath: store === 'memory' ? ':memory:' : join(String(m.dir), 'ordergate.db'),
    databaseUrl: store === 'pg' ? process.env.DATABASE_URL : undefined,
    logLevel: 'warn',
    demoKeys: false,
    rateLimit: true,
    masterKey: '11'.repeat(32),
    // WebSocket scenarios: upgraded sockets count toward the open-connection cap too
    ...(m.maxConnections ? { maxConnections: Number(m.maxConnections) } : {}),
  };
  og = await createApp(config);
  if (process.env.BENCH_SERVER_LAT) {
    // diagnostics: server-side time of each request (onRequest -> onResponse), ms
    og.app.addHook('onRequest', async (req) => {
      (req as unknown as { t0: number }).t0 = performance.now();
    });
    og.app.addHook('onResponse', async (req) => {
      serverLat.push(performance.now() - (req as unknown as { t0: number }).t0);
    });
  }
  await og.app.listen({ host: '127.0.0.1', port: 0 });
  const a = og.app.server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, kind: og.store.kind };
}

/** Creates accounts and trade keys for `uids` (bench credentials), verified passphrases cached. */
async function accounts(m: Msg): Promise<unknown> {
  if (!og) throw new Error('not started');
  const uids = m.uids as string[];
  const mode = m.mode as 'classic' | 'unified';
  const passHash = await hashPassphrase(BENCH_PASSPHRASE);
  const now = Date.now();
  const recs = uids.map((uid) => {
    const k = benchKey(uid);
    return { apiKey: k.apiKey, uid, permission: 'trade' as const, ips: [], secretEnc: encryptSecret(k.secretKey, og!.master), passphraseHash: passHash, label: 'bench', createdAt: now, revokedAt: null };
  });
  const s = sqlite();
  if (s) {
    const acc = s.db.prepare(`INSERT OR IGNORE INTO accounts (uid, mode, created_at) VALUES (?, ?, ?)`);
    const key = s.db.prepare(
      `INSERT INTO api_keys (api_key, uid, permission, ips, secret_enc, passphrase_hash, label, created_at, revoked_at) VALUES (?, ?, ?, '', ?, ?, ?, ?, NULL)`,
    );
    s.db.transaction(() => {
      for (const r of recs) {
        acc.run(r.uid, mode, now);
        key.run(r.apiKey, r.uid, r.permission, r.secretEnc, r.passphraseHash, r.label, r.createdAt);
      }
      s.db.prepare(`UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'keys_version'`).run();
    })();
  } else {
    for (const r of recs) {
      await og.store.keys.ensureAccount(r.uid, mode);
      await og.store.keys.insertKey(r);
    }
  }
  await og.keyring.refresh();
  // Steady state: every key has passed scrypt once; pre-warm that cache (2000 scrypts would take a minute).
  const digest = createHash('sha256').update(BENCH_PASSPHRASE, 'utf8').digest();
  for (const uid of uids) {
    const live = og.keyring.get(benchKey(uid).apiKey);
    if (!live) throw new Error(`key of ${uid} not loaded`);
    live.verified = digest;
  }
  return { keys: uids.length };
}

/** Seeds `perUid` open orders for each of `uids` in the dialect's shape; returns the id plan. */
async function seed(m: Msg): Promise<IdPlan & { ms: number }> {
  if (!og) throw new Error('not started');
  const t0 = performance.now();
  const uids = m.uids as string[];
  const perUid = Number(m.perUid);
  const d = DIALECTS[m.dialect as Dialect];
  const plan: IdPlan = { start: nextSeq, perUid, uids: uids.length };
  nextSeq += perUid * uids.length;
  const now = Date.now();
  const s = sqlite();
  if (s) {
    const ins = s.db.prepare(
      `INSERT INTO orders (order_id, uid, client_oid, category, margin_mode, symbol, side, order_type, force, price, size,
         filled_size, filled_quote, status, margin_coin, extra, c_time, u_time, cancel_reason, is_open)
       VALUES (?, ?, '', ?, ?, ?, 'buy', 'limit', 'gtc', '30000', '0.01', '0', '0', 'live', ?, '{}', ?, ?, '', 1)`,
    );
    // in primary-key order (uid, then order_id): B-tree appends instead of scattered inserts
    s.db.transaction(() => {
      for (let u = 0; u < uids.length; u++) {
        for (let k = 0; k < perUid; k++) ins.run(orderIdOf(plan.start + k * uids.length + u), uids[u], d.category, d.marginMode, d.symbol, d.marginCoin, now, now);
      }
    })();
    s.db.pragma('wal_checkpoint(TRUNCATE)');
  } else {
    let n = plan.start;
    const total = perUid * uids.length;
    while (n < plan.start + total) {
      const chunk: Order[] = [];
      for (let i = 0; i < 5000 && n < plan.start + total; i++, n++) {
        const rel = n - plan.start;
        chunk.push({
          orderId: orderIdOf(n),
          clientOid: '',
          uid: uids[rel % uids.length],
          category: d.category,
          marginMode: d.marginMode,
          symbol: d.symbol,
          side: 'buy',
          orderType: 'limit',
          force: 'gtc',
          price: '30000',
          size: '0.01',
          filledSize: '0',
          filledQuote: '0',
          status: 'live',
          marginCoin: d.marginCoin,
          extra: {},
          cTime: String(now),
          uTime: String(now),
          cancelReason: '',
        });
      }
      await og.store.execute({ uid: null }, () => ({ writes: { inserts: chunk, updates: [] }, result: null }));
    }
  }
  return { ...plan, ms: performance.now() - t0 };
}

/** The PostgreSQL store's pool, when that is the store (duck-typed: bench-only cleanup). */
function pgPool(): { query(sql: string, args: unknown[]): Promise<{ rowCount: number | null }> } | undefined {
  return (og?.store as unknown as { pool?: { query(sql: string, args: unknown[]): Promise<{ rowCount: number | null }> } } | undefined)?.pool;
}

/** Deletes the orders of a plan (keeps the store at its scenario size). */
async function drop(m: Msg): Promise<unknown> {
  const s = sqlite();
  const t0 = performance.now();
  const p = m.plan as IdPlan;
  const pool = pgPool();
  if (!s && pool) {
    const r = await pool.query(`DELETE FROM orders WHERE order_id >= $1 AND order_id < $2`, [orderIdOf(p.start), orderIdOf(p.start + p.perUid * p.uids)]);
    return { dropped: r.rowCount ?? 0, ms: performance.now() - t0 };
  }
  if (!s) return { dropped: 0, ms: 0 };
  const r = s.db.prepare(`DELETE FROM orders WHERE order_id >= ? AND order_id < ?`).run(orderIdOf(p.start), orderIdOf(p.start + p.perUid * p.uids));
  s.db.pragma('wal_checkpoint(TRUNCATE)');
  return { dropped: r.changes, ms: performance.now() - t0 };
}

/** Event-loop delay of the server (blocking stretches), reset at every stats call. */
const eld = monitorEventLoopDelay({ resolution: 5 });
eld.enable();

const serverLat: number[] = [];

/** CPU time samples [Date.now(), user+system µs] every 50 ms, since the last stats call. */
let cpuSamples: Array<[number, number]> = [];
const sampleCpu = () => {
  const c = process.cpuUsage();
  cpuSamples.push([Date.now(), c.user + c.system]);
};
setInterval(sampleCpu, 50).unref();

function stats(): unknown {
  if (serverLat.length) {
    const x = Float64Array.from(serverLat).sort();
    const p = (q: number) => x[Math.min(x.length - 1, Math.floor((q / 100) * x.length))].toFixed(1);
    console.error(`server-side latency p50=${p(50)} p90=${p(90)} p99=${p(99)} p99.9=${p(99.9)} max=${x[x.length - 1].toFixed(1)} n=${x.length}`);
    serverLat.length = 0;
  }
  const loop = { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 };
  eld.reset();
  const s = sqlite();
  const ck = s?.checkpointStatus();
  const dbFile = s ? String(s.db.name) : '';
  const fileMB = (f: string) => {
    try {
      return statSync(f).size / 2 ** 20;
    } catch {
      return 0;
    }
  };
  const files = dbFile && dbFile !== ':memory:' ? { dbMB: fileMB(dbFile), walMB: fileMB(`${dbFile}-wal`) } : {};
  const open = s ? Number((s.db.prepare(`SELECT count(*) AS n FROM orders WHERE is_open = 1`).get() as { n: number }).n) : null;
  const cancelled = s ? Number((s.db.prepare(`SELECT count(*) AS n FROM orders WHERE status = 'cancelled'`).get() as { n: number }).n) : null;
  sampleCpu();
  const samples = cpuSamples;
  cpuSamples = [];
  return { cpu: process.cpuUsage(), rss: process.memoryUsage().rss, open, cancelled, checkpoints: ck?.rounds, walFrames: ck?.lastLogFrames, loop, samples, ...files };
}

/** PostgreSQL only: removes the bench's orders, keys and accounts of `uids` (a shared database outlives the bench). */
async function cleanup(m: Msg): Promise<unknown> {
  const pool = pgPool();
  if (!pool) return { cleaned: false };
  const uids = m.uids as string[];
  await pool.query(`DELETE FROM orders WHERE uid = ANY($1)`, [uids]);
  await pool.query(`DELETE FROM api_keys WHERE uid = ANY($1)`, [uids]);
  await pool.query(`DELETE FROM accounts WHERE uid = ANY($1)`, [uids]);
  return { cleaned: true };
}

async function stop(): Promise<unknown> {
  if (og) await og.close();
  if (bare) await new Promise((r) => bare!.close(r));
  setImmediate(() => process.exit(0));
  return {};
}

const handlers: Record<string, (m: Msg) => unknown> = { start, accounts, seed, drop, stats, cleanup, stop };

serveCommands(handlers);
