/**
 * Runtime configuration from the environment (the README's configuration table mirrors this).
 */

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
  /** Trust X-Forwarded-For (ORDERGATE_TRUST_PROXY=true or a hop count / CIDR list). */
  trustProxy: boolean | string | number;
  /** Turn rate limiting off (ORDERGATE_RATE_LIMIT=off); for load tests of the engine only. */
  rateLimit: boolean;
  /** Log level for pino (LOG_LEVEL), default 'info'. */
  logLevel: string;
  /** Create and print demo keys when the store has none (default true). */
  demoKeys: boolean;
  /** Key cache poll interval in ms (ORDERGATE_KEY_POLL_MS, default 1000). */
  keyPollMs: number;
  /** Events kept in the outbox for catch-up (ORDERGATE_EVENT_RETENTION, default 100000). */
  eventRetention: number;
}

function parseTrustProxy(v: string | undefined): boolean | string | number {
  if (v === undefined || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** ORDERGATE_EVENT_RETENTION: a non-negative integer count of events (default 100000). */
function parseRetention(v: string | undefined): number {
  if (v === undefined || v === '') return 100_000;
  if (!/^\d+$/.test(v)) throw new Error(`ORDERGATE_EVENT_RETENTION must be a whole number of events, got "${v}"`);
  return Number(v);
}

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
    demoKeys: env.ORDERGATE_DEMO_KEYS !== 'off',
    keyPollMs: env.ORDERGATE_KEY_POLL_MS ? Number(env.ORDERGATE_KEY_POLL_MS) : 1000,
    eventRetention: parseRetention(env.ORDERGATE_EVENT_RETENTION),
  };
}
