/**
 * Opens the store the configuration names: PostgreSQL when DATABASE_URL is set (shared by
 * several server instances; schema created and migrated at start), else the embedded SQLite
 * file (default ./data/ordergate.db, ':memory:' allowed).
 */
import type { Config } from '../config.js';
import { PostgresStore } from './postgres/index.js';
import { SqliteStore } from './sqlite/index.js';
import type { OrderStore } from './types.js';

/**
 * Opens (and migrates) the configured store.
 * @param onError receives errors of idle PostgreSQL connections (e.g. the server restarted);
 *   they are otherwise harmless, the pool opens fresh connections.
 * @throws Error when DATABASE_URL is malformed or PostgreSQL is unreachable at start.
 */
export async function openStore(
  config: Pick<Config, 'dbPath' | 'databaseUrl' | 'sqliteCheckpointMs'>,
  onError?: (e: Error) => void,
): Promise<OrderStore> {
  if (config.databaseUrl) {
    return PostgresStore.open({ url: config.databaseUrl, onError });
  }
  return new SqliteStore({ path: config.dbPath, checkpointIntervalMs: config.sqliteCheckpointMs });
}
