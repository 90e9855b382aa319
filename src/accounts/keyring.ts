/**
 * API key material and the in-memory key ring.
 *
 * At rest: the secret is encrypted with AES-256-GCM under a master key; the passphrase is
 * hashed with scrypt. In memory: the decrypted secret (needed to verify HMAC signatures) and,
 * once a passphrase has been verified with scrypt, a SHA-256 digest of it so later requests
 * are checked in constant time without paying scrypt again.
 *
 * The ring polls the store's keys version (default every 1 s), so a key created or revoked by
 * the CLI in another process takes effect within the poll interval.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AccountMode } from '../domain/types.js';
import type { ApiKeyRecord, KeyStore } from '../store/types.js';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

function scryptAsync(pass: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pass, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (e, k) => (e ? reject(e) : resolve(k))),
  );
}

/** scrypt hash of a passphrase: `scrypt$N$r$p$<salt b64>$<hash b64>`. */
export async function hashPassphrase(passphrase: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(passphrase, salt);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Verifies a passphrase against a {@link hashPassphrase} value, in constant time. */
export async function verifyPassphrase(passphrase: string, stored: string): Promise<boolean> {
  const [alg, , , , saltB64, hashB64] = stored.split('$');
  if (alg !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const got = await scryptAsync(passphrase, Buffer.from(saltB64, 'base64'));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/**
 * Resolves the 32-byte master key: ORDERGATE_MASTER_KEY (64 hex chars or base64), else a
 * `master.key` file beside the SQLite database (created with mode 0600), else (for
 * ':memory:') a random key for this process.
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
    mkdirSync(dirname(file), { recursive: true });
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

/** A usable key as held in memory. */
export interface LiveKey {
  apiKey: string;
  uid: string;
  mode: AccountMode;
  permission: 'read' | 'trade';
  ips: readonly string[];
  secret: Buffer;
  passphraseHash: string;
  /** SHA-256 of the passphrase once verified with scrypt. */
  verified?: Buffer;
  /** scrypt checks under way, by passphrase digest (hex): a cold burst pays scrypt once. */
  pending?: Map<string, Promise<boolean>>;
}

/** In-memory view of the active keys, refreshed from the store when its keys version moves. */
export class KeyRing {
  private keys = new Map<string, LiveKey>();
  private version = -1;
  private timer?: NodeJS.Timeout;
  private refreshing: Promise<void> = Promise.resolve();
  /** Active keys whose secret does not decrypt under this process's master key. */
  readonly undecryptable = new Set<string>();

  constructor(
    private readonly store: KeyStore,
    private readonly master: Buffer,
  ) {}

  /** Loads keys now and then every `pollMs`. */
  async start(pollMs: number): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch(() => undefined); // store briefly unreachable: keep the last view
    }, pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Reloads when the store's keys version changed since the last load. Refreshes run one after
   * another, and each reads the store only after every earlier one has finished: a refresh asked
   * for after a key was written always sees that key (a poll already under way may not).
   */
  refresh(): Promise<void> {
    const next = this.refreshing.then(() => this.doRefresh());
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  private async doRefresh(): Promise<void> {
    const v = await this.store.keysVersion();
    if (v === this.version) return;
    const [recs, accounts] = await Promise.all([this.store.listKeys(), this.store.listAccounts()]);
    const modes = new Map(accounts.map((a) => [a.uid, a.mode]));
    const next = new Map<string, LiveKey>();
    for (const r of recs) {
      if (r.revokedAt !== null) continue;
      const prev = this.keys.get(r.apiKey);
      let secret = prev?.secret;
      if (!secret) {
        try {
          secret = Buffer.from(decryptSecret(r.secretEnc, this.master), 'utf8');
        } catch {
          // encrypted under another master key: this key cannot authenticate; the others still load
          this.undecryptable.add(r.apiKey);
          continue;
        }
      }
      next.set(r.apiKey, {
        apiKey: r.apiKey,
        uid: r.uid,
        mode: modes.get(r.uid) ?? 'classic',
        permission: r.permission,
        ips: r.ips,
        secret,
        passphraseHash: r.passphraseHash,
        verified: prev?.verified,
      });
    }
    this.keys = next;
    this.version = v;
  }

  /** The active key, or undefined (unknown or revoked). */
  get(apiKey: string): LiveKey | undefined {
    return this.keys.get(apiKey);
  }

  /** Number of active keys. */
  get size(): number {
    return this.keys.size;
  }

  /** Checks a passphrase: constant-time digest compare once verified, scrypt before that. */
  async checkPassphrase(key: LiveKey, passphrase: string): Promise<boolean> {
    const digest = createHash('sha256').update(passphrase, 'utf8').digest();
    if (key.verified) return timingSafeEqual(digest, key.verified);
    const id = digest.toString('hex');
    key.pending ??= new Map();
    let check = key.pending.get(id);
    if (!check) {
      check = verifyPassphrase(passphrase, key.passphraseHash).then((ok) => {
        if (ok) key.verified = digest;
        key.pending?.delete(id);
        return ok;
      });
      key.pending.set(id, check);
    }
    return check;
  }
}
