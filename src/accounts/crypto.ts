/**
 * Secrets at rest: the master key and the AES-256-GCM encryption of API secrets under it.
 *
 * The master key is 32 bytes: ORDERGATE_MASTER_KEY, else a `master.key` file (mode 0600) beside
 * the SQLite database, else (for ':memory:') a random key for this process. A secret is stored
 * as `v1:<base64 of iv(12) | tag(16) | ciphertext>`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Resolves the 32-byte master key: ORDERGATE_MASTER_KEY (64 hex chars or base64), else a
 * `master.key` file beside the SQLite database (created with mode 0600, its directory 0700
 * when we create it), else (for ':memory:') a random key for this process.
 * @throws Error when the explicit key or the file does not hold 32 bytes.
 */
export function resolveMasterKey(explicit: string | undefined, dbPath: string): Buffer {
  if (explicit) {
    const k = /^[0-9a-fA-F]{64}$/.test(explicit) ? Buffer.from(explicit, 'hex') : Buffer.from(explicit, 'base64');
    if (k.length !== 32) throw new Error('ORDERGATE_MASTER_KEY must be 32 bytes (64 hex chars or base64)');
    return k;
  }
  if (dbPath === ':memory:') return randomBytes(32);
  const file = join(dirname(dbPath), 'master.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Write under a private name, then hard-link into place: a process starting at the same
    // moment sees either no key file or a complete one, never an empty one (which it would
    // otherwise read as a 0-byte key). Falls back to an exclusive create where links fail.
    const hex = randomBytes(32).toString('hex');
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, hex, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(tmp, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        try {
          writeFileSync(file, hex, { mode: 0o600, flag: 'wx' });
        } catch (e2) {
          if ((e2 as NodeJS.ErrnoException).code !== 'EEXIST') throw e2;
        }
      }
    } finally {
      unlinkSync(tmp);
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (key.length !== 32) throw new Error(`${file} must hold the 32-byte master key as 64 hex characters`);
  return key;
}

/** AES-256-GCM encryption of a secret: `v1:<iv|tag|ciphertext, base64>`. */
export function encryptSecret(secret: string, master: Buffer): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', master, iv);
  const body = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
  return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
}

/** Inverse of {@link encryptSecret}; throws when the master key is wrong. */
export function decryptSecret(enc: string, master: Buffer): string {
  const raw = Buffer.from(enc.slice(3), 'base64');
  const d = createDecipheriv('aes-256-gcm', master, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}
