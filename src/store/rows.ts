/**
 * Row mappings shared by the stores: both name their columns the same way
 * (src/store/sqlite/schema.ts, src/store/postgres/schema.ts).
 */
import type { ApiKeyRecord } from './types.js';

type Row = Record<string, unknown>;

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
