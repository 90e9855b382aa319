/**
 * Creating API keys: fresh credentials in Bitget's formats, stored with the secret encrypted
 * (crypto.ts) and the passphrase hashed (passphrase.ts). The plain credentials are returned
 * once and never stored.
 */
import { randomBytes } from 'node:crypto';
import type { AccountMode } from '../domain/types.js';
import type { ApiKeyRecord, KeyStore } from '../store/types.js';
import { encryptSecret } from './crypto.js';
import { hashPassphrase } from './passphrase.js';

/** Fresh credentials in Bitget's formats: `bg_` + 32 hex key, 64 hex secret, 16-char passphrase. */
export function generateCredentials(): { apiKey: string; secretKey: string; passphrase: string } {
  const alnum = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  let passphrase = '';
  for (const b of bytes) passphrase += alnum[b % alnum.length];
  return {
    apiKey: `bg_${randomBytes(16).toString('hex')}`,
    secretKey: randomBytes(32).toString('hex'),
    passphrase,
  };
}

/** Options of {@link createKey}. */
export interface CreateKeyOptions {
  uid: string;
  mode: AccountMode;
  permission: 'read' | 'trade';
  ips: string[];
  label?: string;
}

/**
 * Creates the account (if new) and one API key on it; returns the plain credentials, the
 * only time they exist outside the caller's hands.
 * @throws Error when the UID exists in the other account mode.
 */
export async function createKey(
  keys: KeyStore,
  master: Buffer,
  opts: CreateKeyOptions,
): Promise<{ uid: string; mode: AccountMode; permission: string; apiKey: string; secretKey: string; passphrase: string }> {
  await keys.ensureAccount(opts.uid, opts.mode);
  const cred = generateCredentials();
  const rec: ApiKeyRecord = {
    apiKey: cred.apiKey,
    uid: opts.uid,
    permission: opts.permission,
    ips: opts.ips,
    secretEnc: encryptSecret(cred.secretKey, master),
    passphraseHash: await hashPassphrase(cred.passphrase),
    label: opts.label ?? '',
    createdAt: Date.now(),
    revokedAt: null,
  };
  await keys.insertKey(rec);
  return { uid: opts.uid, mode: opts.mode, permission: opts.permission, ...cred };
}
