/**
 * Passphrases: stored as scrypt hashes, checked with bounded scrypt work.
 *
 * scrypt (N=16384, r=8: about 16 MiB and tens of ms of CPU per call) is paid only until a key's
 * passphrase has been verified once; after that a SHA-256 digest is compared in constant time.
 * Before that, every guess would cost a scrypt, so {@link PassphraseChecker} bounds the work:
 * - one scrypt in flight per key (guesses on one key wait their turn);
 * - at most `concurrency` scrypts in flight in the process (default 1: a flood of wrong
 *   passphrases occupies at most one libuv thread / one core);
 * - identical guesses in flight share one scrypt, and a wrong (key, passphrase) pair is
 *   remembered for `failureTtlMs` (default 60 s), so repeating it costs no scrypt;
 * - at most `queueLimit` checks wait (default 64); more are refused with HTTP 429 / code 429
 *   (the passphrase was not checked, so 40012 would be a lie).
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Errors, err } from '../domain/errors.js';

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

/** Verifies a passphrase against a {@link hashPassphrase} value, in constant time (one scrypt). */
export async function verifyPassphrase(passphrase: string, stored: string): Promise<boolean> {
  const [alg, , , , saltB64, hashB64] = stored.split('$');
  if (alg !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const got = await scryptAsync(passphrase, Buffer.from(saltB64, 'base64'));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** SHA-256 of a passphrase (what a verified key keeps in memory). */
export function passphraseDigest(passphrase: string): Buffer {
  return createHash('sha256').update(passphrase, 'utf8').digest();
}

/** Limits of {@link PassphraseChecker}. */
export interface PassphraseLimits {
  /** scrypt calls in flight in the process (default 1). */
  concurrency: number;
  /** Checks allowed to wait for a scrypt slot; more are refused with 429 (default 64). */
  queueLimit: number;
  /** How long a wrong (key, passphrase) pair is answered from memory, ms (default 60 000). */
  failureTtlMs: number;
  /** Most wrong pairs remembered (oldest forgotten first; default 10 000). */
  failureCacheSize: number;
}

/** Default {@link PassphraseLimits}. */
export const DEFAULT_PASSPHRASE_LIMITS: PassphraseLimits = { concurrency: 1, queueLimit: 64, failureTtlMs: 60_000, failureCacheSize: 10_000 };

/** The key fields a passphrase check needs. */
export interface PassphraseHolder {
  apiKey: string;
  passphraseHash: string;
  /** SHA-256 of the passphrase once verified with scrypt. */
  verified?: Buffer;
}

/** Checks passphrases with bounded scrypt work (see the module header). */
export class PassphraseChecker {
  private readonly limits: PassphraseLimits;
  private running = 0;
  /** Checks created and not finished (running, waiting for a slot, or behind their key). */
  private queued = 0;
  private readonly waiting: Array<() => void> = [];
  /** Last check queued per key: the next one for that key starts after it. */
  private readonly perKey = new Map<string, Promise<unknown>>();
  /** Checks in flight by `apiKey:digest`: identical guesses share one scrypt. */
  private readonly pending = new Map<string, Promise<boolean>>();
  /** Wrong pairs by `apiKey:digest` -> expiry (ms). */
  private readonly failures = new Map<string, number>();

  /**
   * @param verify the scrypt check (injectable so tests can count calls).
   */
  constructor(
    limits: Partial<PassphraseLimits> = {},
    private readonly verify: (passphrase: string, stored: string) => Promise<boolean> = verifyPassphrase,
  ) {
    this.limits = { ...DEFAULT_PASSPHRASE_LIMITS, ...limits };
  }

  /**
   * True when `passphrase` is the key's. A verified key is checked by digest in constant time
   * with no scrypt; otherwise see the module header. Sets `key.verified` on success.
   * @throws BitgetError 429 (HTTP 429) when too many checks already wait for scrypt.
   */
  async check(key: PassphraseHolder, passphrase: string, now: number = Date.now()): Promise<boolean> {
    const digest = passphraseDigest(passphrase);
    if (key.verified) return timingSafeEqual(digest, key.verified);
    const id = `${key.apiKey}:${digest.toString('hex')}`;
    const failedUntil = this.failures.get(id);
    if (failedUntil !== undefined) {
      if (failedUntil > now) return false;
      this.failures.delete(id);
    }
    const shared = this.pending.get(id);
    if (shared) return shared;
    if (this.queued >= this.limits.concurrency + this.limits.queueLimit) throw err(Errors.TOO_MANY_REQUESTS);
    this.queued++;
    const prev = this.perKey.get(key.apiKey) ?? Promise.resolve();
    const run = prev
      .catch(() => undefined)
      .then(() => this.slot())
      .then(async (release) => {
        try {
          // an earlier check of this key may have verified it meanwhile: no scrypt needed
          if (key.verified) return timingSafeEqual(digest, key.verified);
          return await this.verify(passphrase, key.passphraseHash);
        } finally {
          release();
        }
      })
      .then((ok) => {
        if (ok) key.verified = digest;
        else this.remember(id, Date.now());
        return ok;
      })
      .finally(() => {
        this.queued--;
        this.pending.delete(id);
        if (this.perKey.get(key.apiKey) === run) this.perKey.delete(key.apiKey);
      });
    this.pending.set(id, run);
    this.perKey.set(key.apiKey, run);
    return run;
  }

  /** Checks in flight or waiting (for tests and diagnostics). */
  get load(): number {
    return this.queued;
  }

  private remember(id: string, now: number): void {
    this.failures.delete(id);
    this.failures.set(id, now + this.limits.failureTtlMs);
    while (this.failures.size > this.limits.failureCacheSize) {
      const oldest = this.failures.keys().next().value as string;
      this.failures.delete(oldest);
    }
  }

  /** Waits for one of the `concurrency` scrypt slots; resolves to its release function. */
  private slot(): Promise<() => void> {
    const release = () => {
      this.running--;
      const next = this.waiting.shift();
      if (next) next();
    };
    if (this.running < this.limits.concurrency) {
      this.running++;
      return Promise.resolve(release);
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.running++;
        resolve(release);
      }),
    );
  }
}
