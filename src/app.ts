/**
 * Assembles one ordergate process: store, market catalogue, key ring, rate limiter, engine
 * and HTTP server, plus the admin routes (behind ORDERGATE_ADMIN_TOKEN) and the demo keys
 * printed on first start.
 */
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Config } from './config.js';
import { Errors, err } from './domain/errors.js';
import type { AccountMode } from './domain/types.js';
import { Engine } from './engine/engine.js';
import { IdGenerator } from './engine/ids.js';
import { fail, ok } from './http/envelope.js';
import { installFaults } from './http/faults.js';
import { KeyRing, createKey, resolveMasterKey } from './http/keys.js';
import { FlexibleRateLimiter, NoRateLimiter, type RateLimiter } from './http/ratelimit.js';
import { RedisRateLimiter } from './http/ratelimit-redis.js';
import { allEndpoints } from './http/routes/index.js';
import { buildServer } from './http/server.js';
import type { EventBus } from './events/types.js';
import { startEventRetention } from './jobs/event-retention.js';
import { loadCatalogue } from './markets/catalogue.js';
import { openStore } from './store/open.js';
import type { OrderStore } from './store/types.js';

/** A running (or ready-to-listen) ordergate process. */
export interface OrdergateApp {
  app: FastifyInstance;
  store: OrderStore;
  engine: Engine;
  keyring: KeyRing;
  limiter: RateLimiter;
  master: Buffer;
  /** The store's event stream: every committed unit's events, in commit order (events/types.ts). */
  events: EventBus;
  /** Stops the server and closes the store. */
  close(): Promise<void>;
}

/** Demo credentials created on an empty store. */
export interface DemoKey {
  uid: string;
  mode: AccountMode;
  apiKey: string;
  secretKey: string;
  passphrase: string;
}

/** Creates one trade key per account mode when the store has no key at all. */
export async function ensureDemoKeys(store: OrderStore, master: Buffer): Promise<DemoKey[]> {
  if ((await store.keys.listKeys()).length > 0) return [];
  const out: DemoKey[] = [];
  for (const [uid, mode] of [['1000000001', 'classic'], ['1000000002', 'unified']] as const) {
    const k = await createKey(store.keys, master, { uid, mode, permission: 'trade', ips: [], label: 'demo' });
    out.push({ uid, mode, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase });
  }
  return out;
}

function adminRoutes(app: FastifyInstance, token: string, engine: Engine): void {
  const want = createHash('sha256').update(token).digest();
  app.post('/admin/fill', async (req, reply) => {
    const given = createHash('sha256').update(String(req.headers['x-admin-token'] ?? '')).digest();
    if (!timingSafeEqual(given, want)) return reply.code(401).send(fail('40014', 'Incorrect permissions, need admin permissions'));
    const b = (req.body ?? {}) as { orderId?: unknown; size?: unknown };
    if (typeof b.orderId !== 'string' || b.orderId === '') throw err(Errors.PARAM_EMPTY, 'orderId');
    if (b.size !== undefined && typeof b.size !== 'string') throw err(Errors.PARAM_ERROR, 'size');
    const o = await engine.fill(b.orderId, b.size);
    return ok({ orderId: o.orderId, clientOid: o.clientOid, status: o.status, size: o.size, filledSize: o.filledSize });
  });
}

/** Builds the process from `config`; call `app.listen` to serve. */
export async function createApp(config: Config): Promise<OrdergateApp> {
  let log: ((level: 'warn' | 'info', msg: string, e?: Error) => void) | undefined; // set once the server's logger exists
  // master key and catalogue first: if either is bad, no store is left open behind the error
  const master = resolveMasterKey(config.masterKey, config.dbPath);
  const catalogue = loadCatalogue(config.marketsFile);
  const store = await openStore(config, (e) => log?.('warn', `PostgreSQL connection dropped: ${e.message}`));
  const engine = new Engine(store, catalogue, new IdGenerator(await store.instanceId()));
  const keyring = new KeyRing(store.keys, master);
  // REDIS_URL: limits shared by every instance; if Redis is unreachable each instance limits
  // alone in memory (fails open across instances, never refuses because of Redis; see ratelimit-redis.ts).
  const limiter: RateLimiter = !config.rateLimit
    ? new NoRateLimiter()
    : config.redisUrl
      ? new RedisRateLimiter({
          url: config.redisUrl,
          onStateChange: (shared, e) =>
            shared
              ? log?.('info', 'Redis reachable: rate limits shared across instances')
              : log?.('warn', `Redis unreachable: each instance now enforces rate limits alone in memory (${e?.message ?? 'closed'})`),
        })
      : new FlexibleRateLimiter();
  const app = buildServer({
    services: { engine, catalogue, keyring },
    endpoints: allEndpoints,
    limiter,
    trustProxy: config.trustProxy,
    logLevel: config.logLevel,
    extra: config.adminToken ? (a) => adminRoutes(a, config.adminToken as string, engine) : undefined,
  });
  installFaults(app, process.env.ORDERGATE_FAULTS); // TEST-ONLY fault injection, off unless set (src/http/faults.ts)
  log = (level, msg) => app.log[level](msg);
  if (config.databaseUrl && !config.masterKey) {
    app.log.warn('DATABASE_URL is set without ORDERGATE_MASTER_KEY: every instance must use the same master key to read API secrets');
  }
  const retention = startEventRetention(store, config.eventRetention, (e) => log?.('warn', `event retention: ${(e as Error).message}`));
  await keyring.start(config.keyPollMs);
  if (keyring.undecryptable.size > 0) {
    app.log.warn(`${keyring.undecryptable.size} API key(s) do not decrypt under this master key and cannot authenticate`);
  }
  return {
    app,
    store,
    engine,
    keyring,
    limiter,
    master,
    events: store.events,
    async close() {
      keyring.stop();
      await retention.stop();
      await app.close();
      await limiter.close();
      await store.close();
    },
  };
}


