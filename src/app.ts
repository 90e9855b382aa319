/**
 * Assembles one ordergate process: store, market catalogue, key ring, rate limiter, engine
 * and HTTP server (with the admin endpoints of src/http/routes/admin.ts when
 * ORDERGATE_ADMIN_TOKEN is set), and provisions the demo keys once the port is bound.
 */
import type { FastifyInstance } from 'fastify';
import { ensureDemoKeys, ensurePinnedKeys, readPinnedKeys, type DemoKey } from './accounts/demo.js';
import type { Config } from './config.js';
import { Engine } from './engine/engine.js';
import { IdGenerator } from './engine/ids.js';
import { installFaults, parseFaults } from './http/faults.js';
import { resolveMasterKey } from './accounts/crypto.js';
import { KeyRing } from './accounts/keyring.js';
import { createKey } from './accounts/keys.js';
import { FlexibleRateLimiter, NoRateLimiter, type RateLimiter } from './http/ratelimit.js';
import { RedisRateLimiter } from './http/ratelimit-redis.js';
import { adminEndpoints } from './http/routes/admin.js';
import { allEndpoints } from './http/routes/index.js';
import { buildServer } from './http/server.js';
import { startEventRetention } from './jobs/event-retention.js';
import { startSwitchSweeper } from './jobs/switch-sweeper.js';
import { ordergateAdminEndpoints } from './http/routes/ordergate.js';
import { SwitchService } from './switches/service.js';
import { loadCatalogue } from './markets/catalogue.js';
import { openStore } from './store/open.js';
import { startBalanceOpening } from './ledger/start.js';
import type { OrderStore } from './store/types.js';
import type { EventBus } from './events/types.js';
import { BITGET_WS_LIMITS } from './ws/limits.js';
import { attachWebSocket, type WsServer } from './ws/server.js';

export { ensureDemoKeys, type DemoKey } from './accounts/demo.js';

/** A running (or ready-to-listen) ordergate process. */
export interface OrdergateApp {
  app: FastifyInstance;
  store: OrderStore;
  engine: Engine;
  keyring: KeyRing;
  limiter: RateLimiter;
  master: Buffer;
  /** The WebSocket endpoints on the same port (src/ws/server.ts). */
  ws: WsServer;
  /** Kill switches (src/switches/service.ts). */
  switches: SwitchService;
  /** The store's event stream: every committed unit's events, in commit order (events/types.ts). */
  events: EventBus;
  /** Stops the server and closes the store. */
  close(): Promise<void>;
}

/** What {@link provisionDemoKeys} did: the keys it created (to print once) and from where. */
export interface DemoKeysResult {
  created: DemoKey[];
  /** 'random' (on an empty store), 'file' (pinned, ORDERGATE_DEMO_KEYS=file:PATH) or 'off'. */
  source: 'random' | 'file' | 'off';
}

/**
 * Creates the demo keys `config.demoKeys` asks for and loads them into the key ring. Call it
 * after the port is bound, so a server that cannot start creates nothing.
 * @throws Error (pinned file) for an invalid file or a key in conflict with the store.
 */
export async function provisionDemoKeys(og: OrdergateApp, config: Pick<Config, 'demoKeys'>): Promise<DemoKeysResult> {
  if (config.demoKeys === false) return { created: [], source: 'off' };
  const result: DemoKeysResult =
    config.demoKeys === true
      ? { created: await ensureDemoKeys(og.store, og.master), source: 'random' }
      : { created: await ensurePinnedKeys(og.store.keys, og.master, readPinnedKeys(config.demoKeys.file), config.demoKeys.file), source: 'file' };
  await og.keyring.refresh();
  return result;
}

/** Optional collaborators of {@link createApp}. */
export interface AppOptions {
  /** Committed events the WebSocket channels push (default: the store's own event stream; tests may inject a fake). */
  bus?: EventBus;
}

/** Builds the process from `config`; call `app.listen` to serve. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<OrdergateApp> {
  let log: ((level: 'warn' | 'info', msg: string, e?: Error) => void) | undefined; // set once the server's logger exists
  // master key and catalogue first: if either is bad, no store is left open behind the error
  const master = resolveMasterKey(config.masterKey, config.dbPath);
  const catalogue = loadCatalogue(config.marketsFile);
  const opening = startBalanceOpening(config.startBalance, catalogue);
  const store = await openStore(config, (e) => log?.('warn', `PostgreSQL connection dropped: ${e.message}`));
  store.setOpening(opening);
  const engine = new Engine(store, catalogue, new IdGenerator(await store.instanceId()));
  engine.opening = opening;
  const keyring = new KeyRing(store.keys, master);
  // kill switches (src/switches/): deadlines in the store, fired by every instance's sweeper
  const switches = new SwitchService(engine, { claimStaleMs: config.switchClaimStaleMs, codLeaseMs: config.switchCodLeaseMs, log: (level, msg) => log?.(level, msg) });
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
    services: { engine, catalogue, keyring, switches, accounts: { keys: store.keys, master, refresh: () => keyring.refresh() } },
    endpoints: config.adminToken ? [...allEndpoints, ...adminEndpoints, ...ordergateAdminEndpoints] : allEndpoints,
    limiter,
    trustProxy: config.trustProxy,
    logLevel: config.logLevel,
    // the admin endpoints exist only with a token (404 otherwise, as any unknown path)
    adminToken: config.adminToken,
    health: {
      store: store.kind,
      check: async () => {
        await store.keys.keysVersion(); // one cheap read: the store answers
      },
    },
    // ORDERGATE_RATE_LIMIT=off also turns off the per-IP failed-auth limit
    limits: { maxConnections: config.maxConnections, bodyBytesInFlight: config.bodyBytesInFlight, authFailures: config.rateLimit ? config.authFailures : 0 },
  });
  installFaults(app, config.faults); // TEST-ONLY fault injection, off unless set (src/http/faults.ts)
  const ws = attachWebSocket(app, {
    keyring,
    catalogue,
    bus: options.bus ?? store.events,
    limits: { ...BITGET_WS_LIMITS, enforce: config.rateLimit, ...config.ws },
    cod: switches,
    engine, // account / positions snapshots (src/ws/money.ts)
    faults: config.faults ? parseFaults(config.faults).ws : undefined, // TEST-ONLY `ws-*` faults
  });
  log = (level, msg) => app.log[level](msg);
  if (config.databaseUrl && !config.masterKey) {
    app.log.warn('DATABASE_URL is set without ORDERGATE_MASTER_KEY: every instance must use the same master key to read API secrets');
  }
  const retention = startEventRetention(store, config.eventRetention, (e) => log?.('warn', `event retention: ${(e as Error).message}`));
  await keyring.start(config.keyPollMs);
  await switches.refreshBlocked();
  const sweeper = startSwitchSweeper(switches, config.switchSweepMs, (e) => log?.('warn', `kill-switch sweeper: ${(e as Error).message}`));
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
    ws,
    switches,
    events: store.events,
    async close() {
      keyring.stop();
      await sweeper.stop();
      await switches.shutdown(); // armed WebSocket connections are about to be cut: schedule their fires
      await retention.stop();
      await app.close();
      await limiter.close();
      await store.close();
    },
  };
}


