/**
 * Row mappings and list orders of `accounts` and `api_keys`, shared by the stores: both name
 * their columns the same way (src/store/sqlite/schema.ts, src/store/postgres/schema.ts). The
 * `orders` table has its own column table, src/store/columns.ts.
 */
import type { AccountMode } from '../domain/types.js';
import type { Account, ApiKeyRecord } from './types.js';

type Row = Record<string, unknown>;

/** ORDER BY of `listAccounts`: oldest first, equal times by uid (ids compare bytewise in both stores). */
export const ACCOUNT_ORDER = 'created_at, uid';

/** ORDER BY of `listKeys`: oldest first, equal times by api_key. */
export const KEY_ORDER = 'created_at, api_key';

/** Maps a row of `accounts` to an {@link Account} (times in ms; PostgreSQL BIGINT arrives as a string). */
export function rowToAccount(r: Row): Account {
  return { uid: r.uid as string, mode: r.mode as AccountMode, createdAt: Number(r.created_at) };
}

/** Maps a row of `api_keys` to an {@link ApiKeyRecord} (ips stored comma-separated, times in ms). */
export function rowToApiKey(r: Row): ApiKeyRecord {
  return {
    apiKey: r.api_key as string,
    uid: r.uid as string,
    permission: r.permission as 'read' | 'trade',
    ips: (r.ips as string) ? (r.ips as string).split(',') : [],
    secretEnc: r.secret_enc as string,
    passphraseHash: r.passphrase_hash as string,
    label: r.label as string,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}
