/**
 * The in-memory key ring: the active API keys with their decrypted secrets (needed to verify
 * HMAC signatures), their UID and account mode, permission and IP whitelist.
 *
 * The ring polls the store's keys version (default every 1 s), so a key created or revoked by
 * the CLI in another process takes effect within the poll interval. Passphrases are checked
 * through a {@link PassphraseChecker} (bounded scrypt work, see passphrase.ts).
 */
import type { AccountMode } from '../domain/types.js';
import type { KeyStore } from '../store/types.js';
import { decryptSecret } from './crypto.js';
import { PassphraseChecker } from './passphrase.js';

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
    /** Passphrase checks (bounded scrypt); replaceable in tests to count scrypt calls. */
    readonly passphrases: PassphraseChecker = new PassphraseChecker(),
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

  /**
   * Checks a passphrase: constant-time digest compare once verified, bounded scrypt before that.
   * @throws BitgetError 429 when too many unverified checks already wait (see passphrase.ts).
   */
  checkPassphrase(key: LiveKey, passphrase: string): Promise<boolean> {
    return this.passphrases.check(key, passphrase);
  }
}
