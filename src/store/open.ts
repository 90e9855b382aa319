/**
 * Opens the store the configuration names: PostgreSQL when DATABASE_URL is set, else the
 * embedded SQLite file (default ./data/ordergate.db, ':memory:' allowed).
 */
import type { Config } from '../config.js';
import { SqliteStore } from './sqlite/index.js';
import type { OrderStore } from './types.js';

/** Opens (and migrates) the configured store. */
export async function openStore(config: Pick<Config, 'dbPath' | 'databaseUrl'>): Promise<OrderStore> {
  if (config.databaseUrl) {
    throw new Error('DATABASE_URL is set but the PostgreSQL store is not built yet');
  }
  return new SqliteStore({ path: config.dbPath });
}
