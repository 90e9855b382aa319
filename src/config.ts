/**
 * Runtime configuration from the environment (the README's configuration table mirrors this).
 * This is the only module of src/ that reads `process.env` (test/config.test.ts: the CLI's
 * documented BITGET_* credential variables in src/cli/cancel.ts are the one exception).
 */
import { BITGET_WS_LIMITS, type WsLimits } from './ws/limits.js';

/** Resolved settings of one server process. */
export interface Config {
  host: string;
  port: number;
  /** SQLite file path or ':memory:' (ORDERGATE_DB). */
  dbPath: string;
  /** PostgreSQL URL (DATABASE_URL); when set the PostgreSQL store is used. */
  databaseUrl?: string;
  /** Redis URL (REDIS_URL); when set rate limits are shared through Redis. */
  redisUrl?: string;
  /** Token guarding /admin routes (ORDERGATE_ADMIN_TOKEN); admin routes are off when unset. */
  adminToken?: string;
  /** Replacement market catalogue file (ORDERGATE_MARKETS). */
  marketsFile?: string;
  /** 32-byte master key (hex or base64) encrypting API secrets at rest (ORDERGATE_MASTER_KEY). */
  masterKey?: string;
  /**
   * Trust X-Forwarded-For from these proxies (ORDERGATE_TRUST_PROXY: an address or CIDR list, or
   * a hop count, which Fastify 5 treats as trusting nothing). `true` is refused: it would let
   * any client choose its IP for the whitelist.
   */
  trustProxy: boolean | string | number;
  /** Turn rate limiting off (ORDERGATE_RATE_LIMIT=off); for load tests of the engine only. */
  rateLimit: boolean;
  /** Log level for pino (LOG_LEVEL), default 'info'. */
  logLevel: string;
  /**
   * Demo keys at start (ORDERGATE_DEMO_KEYS): `true` (default, `on`) creates and prints one
   * random key per account mode when the store has none; `false` (`off`) creates none; an
   * object (`file:PATH`) pins the credentials listed in that JSON file (see src/accounts/demo.ts).
   */
  demoKeys: boolean | { file: string };
  /** Key cache poll interval in ms (ORDERGATE_KEY_POLL_MS, default 1000). */
  keyPollMs: number;
  /**
   * SQLite WAL checkpoint interval in ms (ORDERGATE_SQLITE_CHECKPOINT_MS); undefined = the
   * store's default (20 ms), 0 = checkpoint inside commits.
   */
  sqliteCheckpointMs?: number;
  /** TEST-ONLY fault injection spec (ORDERGATE_FAULTS, see src/http/faults.ts); unset = off. */
  faults?: string;
  /**
   * ORDERGATE_START_BALANCE: `COIN=AMOUNT,...` credited to every new UID at account creation
   * (src/ledger/start.ts says into which accounts); '' = none. Default {@link DEFAULT_START_BALANCE}.
   */
  startBalance: string;
  /**
   * WebSocket limits (src/ws/limits.ts); Bitget's numbers when absent. ORDERGATE_WS_IDLE_MS
   * (no-ping close, default 120000) and ORDERGATE_WS_MAX_AGE_MS (forced disconnect, default
   * 86400000; 0 = never); ORDERGATE_RATE_LIMIT=off lifts the per-IP and per-connection counts.
   */
  ws?: Partial<WsLimits>;
  /** Open connections at once (ORDERGATE_MAX_CONNECTIONS, default 1024; 0 = no cap). */
  maxConnections: number;
  /** Request-body bytes being received at once over all requests (ORDERGATE_BODY_BYTES_IN_FLIGHT, default 32 MiB). */
  bodyBytesInFlight: number;
  /** Failed authentications per IP per minute; at that count the IP gets 429 on private endpoints until its minute is over (ORDERGATE_AUTH_FAILURES, default 30; 0 = off). */
  authFailures: number;
  /** Events kept in the outbox for catch-up (ORDERGATE_EVENT_RETENTION, default 100000). */
  eventRetention: number;
  /** How often each instance's kill-switch sweeper looks for due deadlines, ms (ORDERGATE_SWITCH_SWEEP_MS, default 200; src/jobs/switch-sweeper.ts). */
  switchSweepMs: number;
  /**
   * A fire claimed this long ago (ms) and not recorded as done is taken over by another sweep
   * (the claiming instance died between claim and cancel) (ORDERGATE_SWITCH_CLAIM_STALE_MS, default 30000).
   */
  switchClaimStaleMs: number;
  /**
   * Cancel-on-disconnect lease, ms (ORDERGATE_SWITCH_COD_LEASE_MS, default 2000): an instance
   * holding armed WebSocket connections renews their UIDs' deadlines to now + lease + window; if
   * it dies, the switches fire lease + window after its last renewal.
   */
  switchCodLeaseMs: number;
}

/**
 * Reads ORDERGATE_DEMO_KEYS: unset/`on`/`true` -> true, `off`/`false` -> false, `file:PATH` -> `{file}`.
 * @throws Error for any other value.
 */
function parseDemoKeys(v: string | undefined): boolean | { file: string } {
  if (v === undefined || v === '' || v === 'on' || v === 'true') return true;
  if (v === 'off' || v === 'false') return false;
  if (v.startsWith('file:') && v.length > 5) return { file: v.slice(5) };
  throw new Error(`ORDERGATE_DEMO_KEYS must be on, off or file:PATH, got '${v}'`);
}

/** A non-negative integer setting, or undefined when unset. @throws Error naming `name` otherwise. */
function optInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a non-negative integer (ms), got '${v}'`);
  return Number(v);
}

/** A non-negative integer setting, `dflt` when unset. @throws Error naming `name` otherwise. */
function intSetting(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

function parseTrustProxy(v: string | undefined): boolean | string | number {
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') {
    throw new Error(
      'ORDERGATE_TRUST_PROXY=true is refused: it trusts every X-Forwarded-For hop, so any client could choose ' +
        'the IP the whitelist checks. Give the proxy address or CIDR list instead, e.g. ORDERGATE_TRUST_PROXY=10.0.0.1 or 10.0.0.0/8',
    );
  }
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/**
 * The start balance a new UID gets when ORDERGATE_START_BALANCE is not set: enough for a bot to
 * trade at once in every account type of the default catalogue (spot, cross and isolated margin,
 * USDT-M, USDC-M, COIN-M BTC and ETH, unified).
 */
export const DEFAULT_START_BALANCE = 'USDT=1000000,USDC=1000000,BTC=100,ETH=1000,SOL=10000';

/** Reads the configuration from `env` (defaults: 127.0.0.1:8080, ./data/ordergate.db). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST || '127.0.0.1',
    port: env.PORT !== undefined && env.PORT !== '' ? Number(env.PORT) : 8080,
    dbPath: env.ORDERGATE_DB || './data/ordergate.db',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    adminToken: env.ORDERGATE_ADMIN_TOKEN || undefined,
    marketsFile: env.ORDERGATE_MARKETS || undefined,
    masterKey: env.ORDERGATE_MASTER_KEY || undefined,
    trustProxy: parseTrustProxy(env.ORDERGATE_TRUST_PROXY),
    rateLimit: env.ORDERGATE_RATE_LIMIT !== 'off',
    logLevel: env.LOG_LEVEL || 'info',
    demoKeys: parseDemoKeys(env.ORDERGATE_DEMO_KEYS),
    keyPollMs: env.ORDERGATE_KEY_POLL_MS ? Number(env.ORDERGATE_KEY_POLL_MS) : 1000,
    sqliteCheckpointMs: optInt('ORDERGATE_SQLITE_CHECKPOINT_MS', env.ORDERGATE_SQLITE_CHECKPOINT_MS),
    faults: env.ORDERGATE_FAULTS || undefined,
    startBalance: env.ORDERGATE_START_BALANCE ?? DEFAULT_START_BALANCE,
    ws: {
      idleMs: env.ORDERGATE_WS_IDLE_MS ? Number(env.ORDERGATE_WS_IDLE_MS) : BITGET_WS_LIMITS.idleMs,
      maxAgeMs: env.ORDERGATE_WS_MAX_AGE_MS ? Number(env.ORDERGATE_WS_MAX_AGE_MS) : BITGET_WS_LIMITS.maxAgeMs,
    },
    maxConnections: intSetting(env, 'ORDERGATE_MAX_CONNECTIONS', 1024),
    bodyBytesInFlight: intSetting(env, 'ORDERGATE_BODY_BYTES_IN_FLIGHT', 32 * 1024 * 1024),
    authFailures: intSetting(env, 'ORDERGATE_AUTH_FAILURES', 30),
    eventRetention: intSetting(env, 'ORDERGATE_EVENT_RETENTION', 100_000),
    switchSweepMs: Math.max(1, intSetting(env, 'ORDERGATE_SWITCH_SWEEP_MS', 200)),
    switchClaimStaleMs: intSetting(env, 'ORDERGATE_SWITCH_CLAIM_STALE_MS', 30_000),
    switchCodLeaseMs: Math.max(100, intSetting(env, 'ORDERGATE_SWITCH_COD_LEASE_MS', 2_000)),
  };
}
