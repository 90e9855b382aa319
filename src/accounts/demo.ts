/**
 * Demo keys created at server start (ORDERGATE_DEMO_KEYS):
 * - `on` (default): one random trade key per account mode on an empty store, printed once;
 * - `file:PATH`: pinned credentials from a JSON file, so a bot's config and a CI job can
 *   hard-code them. The file is an array of
 *   `{"uid","mode","apiKey","secretKey","passphrase"}` (optional `permission` read|trade,
 *   default trade; `ips` string array, default any; `label`, default "demo"). A missing file
 *   is written (0600) with one fresh classic and one unified key. Keys missing from the store
 *   are created; keys present with the same credentials are left alone (idempotent restarts);
 *   a key present with other credentials, or revoked, is an error.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AccountMode } from '../domain/types.js';
import { decryptSecret, encryptSecret } from './crypto.js';
import { createKey, generateCredentials } from './keys.js';
import { hashPassphrase, verifyPassphrase } from './passphrase.js';
import type { KeyStore, OrderStore } from '../store/types.js';

/** Demo credentials (plain; shown once, or read from the pinned file). */
export interface DemoKey {
  uid: string;
  mode: AccountMode;
  apiKey: string;
  secretKey: string;
  passphrase: string;
}

/** A pinned demo key as read from the file. */
export interface PinnedKey extends DemoKey {
  permission: 'read' | 'trade';
  ips: string[];
  label: string;
}

/** UIDs of the demo accounts (classic, unified). */
export const DEMO_UIDS = { classic: '1000000001', unified: '1000000002' } as const;

/** Creates one trade key per account mode when the store has no key at all (revoked ones count). */
export async function ensureDemoKeys(store: OrderStore, master: Buffer): Promise<DemoKey[]> {
  if ((await store.keys.listKeys()).length > 0) return [];
  const out: DemoKey[] = [];
  for (const mode of ['classic', 'unified'] as const) {
    const uid = DEMO_UIDS[mode];
    const k = await createKey(store.keys, master, { uid, mode, permission: 'trade', ips: [], label: 'demo' });
    out.push({ uid, mode, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase });
  }
  return out;
}

const PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * Reads and validates a pinned demo keys file; writes a fresh one (mode 0600) when `file`
 * does not exist.
 * @throws Error naming the file and the first bad entry/field.
 */
export function readPinnedKeys(file: string): PinnedKey[] {
  if (!existsSync(file)) {
    const fresh = (['classic', 'unified'] as const).map((mode) => ({ uid: DEMO_UIDS[mode], mode, ...generateCredentials() }));
    try {
      writeFileSync(file, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // another process starting at the same moment wrote it first: use theirs
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`ORDERGATE_DEMO_KEYS file ${file}: cannot be written (${(e as Error).message})`);
    }
  }
  const where = `ORDERGATE_DEMO_KEYS file ${file}`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${where}: must be a non-empty JSON array of {uid, mode, apiKey, secretKey, passphrase}`);
  const seen = new Set<string>();
  return raw.map((x: unknown, i: number) => {
    const at = `${where}: entry ${i}`;
    if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new Error(`${at} must be an object`);
    const o = x as Record<string, unknown>;
    const str = (k: string, re: RegExp, what: string): string => {
      const v = o[k];
      if (typeof v !== 'string' || !re.test(v)) throw new Error(`${at}: ${k} must be ${what}`);
      return v;
    };
    const uid = str('uid', /^\d{1,20}$/, 'a string of 1-20 digits');
    const mode = str('mode', /^(classic|unified)$/, '"classic" or "unified"') as AccountMode;
    const apiKey = str('apiKey', PRINTABLE, 'a non-empty printable ASCII string');
    if (apiKey.length > 64) throw new Error(`${at}: apiKey must be at most 64 characters`);
    const secretKey = str('secretKey', PRINTABLE, 'a non-empty printable ASCII string');
    const passphrase = str('passphrase', PRINTABLE, 'a non-empty printable ASCII string');
    const permission = o.permission === undefined ? 'trade' : (str('permission', /^(read|trade)$/, '"read" or "trade"') as 'read' | 'trade');
    if (o.ips !== undefined && (!Array.isArray(o.ips) || !o.ips.every((ip) => typeof ip === 'string'))) throw new Error(`${at}: ips must be an array of strings`);
    const label = o.label === undefined ? 'demo' : str('label', /^.{0,64}$/, 'a string of at most 64 characters');
    if (seen.has(apiKey)) throw new Error(`${at}: apiKey ${apiKey} is listed twice`);
    seen.add(apiKey);
    return { uid, mode, apiKey, secretKey, passphrase, permission, ips: (o.ips as string[] | undefined) ?? [], label };
  });
}

/** Does the stored key `apiKey` carry exactly these credentials? */
async function sameCredentials(keys: KeyStore, master: Buffer, k: PinnedKey): Promise<'same' | 'other' | 'revoked' | 'missing'> {
  const rec = (await keys.listKeys()).find((r) => r.apiKey === k.apiKey);
  if (!rec) return 'missing';
  if (rec.revokedAt !== null) return 'revoked';
  let secret: string | undefined;
  try {
    secret = decryptSecret(rec.secretEnc, master);
  } catch {
    secret = undefined;
  }
  return rec.uid === k.uid && secret === k.secretKey && (await verifyPassphrase(k.passphrase, rec.passphraseHash)) ? 'same' : 'other';
}

/**
 * Makes the store hold every pinned key; returns the ones it created (empty on a restart).
 * @throws Error when a key exists with other credentials or is revoked, or its UID exists in
 *   the other account mode.
 */
export async function ensurePinnedKeys(keys: KeyStore, master: Buffer, pinned: readonly PinnedKey[], file: string): Promise<DemoKey[]> {
  const created: DemoKey[] = [];
  for (const k of pinned) {
    const state = await sameCredentials(keys, master, k);
    if (state === 'same') continue;
    if (state === 'revoked') throw new Error(`ORDERGATE_DEMO_KEYS file ${file}: key ${k.apiKey} is revoked in this store`);
    if (state === 'other') throw new Error(`ORDERGATE_DEMO_KEYS file ${file}: key ${k.apiKey} exists in this store with other credentials`);
    try {
      await keys.ensureAccount(k.uid, k.mode);
    } catch (e) {
      throw new Error(`ORDERGATE_DEMO_KEYS file ${file}: ${(e as Error).message}`);
    }
    try {
      await keys.insertKey({
        apiKey: k.apiKey,
        uid: k.uid,
        permission: k.permission,
        ips: k.ips,
        secretEnc: encryptSecret(k.secretKey, master),
        passphraseHash: await hashPassphrase(k.passphrase),
        label: k.label,
        createdAt: Date.now(),
        revokedAt: null,
      });
    } catch (e) {
      // another instance starting on the same store may have inserted it first
      if ((await sameCredentials(keys, master, k)) !== 'same') throw e;
      continue;
    }
    created.push({ uid: k.uid, mode: k.mode, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase });
  }
  return created;
}
