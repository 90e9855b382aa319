/**
 * Key management shared by the CLI (`ordergate keys …` on the store) and the admin API
 * (`/admin/keys…` on a running server): create, list and revoke API keys.
 */
import { randomInt } from 'node:crypto';
import { BitgetError, Errors, err } from '../domain/errors.js';
import type { AccountMode } from '../domain/types.js';
import { createKey } from './keys.js';
import type { KeyStore } from '../store/types.js';

/** What a key management call needs: the store's key tables and the master key. */
export interface AccountServices {
  keys: KeyStore;
  master: Buffer;
  /** Makes the running server's key ring pick up a change now (instead of at its next poll). */
  refresh?: () => Promise<void>;
}

/** One listed key: never its secret or passphrase. `created` is an ISO-8601 time. */
export interface KeyRow {
  apiKey: string;
  uid: string;
  mode: AccountMode | '';
  permission: 'read' | 'trade';
  /** Comma-separated IP whitelist ('' = any IP). */
  ips: string;
  label: string;
  status: 'active' | 'revoked';
  created: string;
}

/** A created key with its plain credentials (shown once). */
export interface CreatedKey {
  uid: string;
  mode: AccountMode;
  permission: string;
  apiKey: string;
  secretKey: string;
  passphrase: string;
}

/** What to create: one key on `uid`, or `count` keys on `count` fresh UIDs. */
export interface CreateKeysRequest {
  uid?: string;
  count?: number;
  mode: AccountMode;
  permission: 'read' | 'trade';
  ips: string[];
  label?: string;
}

/** Largest `count` of one create call. */
export const MAX_CREATE_COUNT = 100_000;

/**
 * Creates the keys `req` asks for (accounts created as needed), 8 at a time.
 * @throws BitgetError 40019 (no uid and no count), 40020 (uid not digits, count out of
 *   1..100000), 40017 (the UID exists in the other account mode; nothing created for it).
 */
export async function createKeys(svc: AccountServices, req: CreateKeysRequest): Promise<CreatedKey[]> {
  if (req.count !== undefined && (!Number.isInteger(req.count) || req.count < 1 || req.count > MAX_CREATE_COUNT)) throw err(Errors.PARAM_ERROR, 'count');
  if (req.count === undefined && (req.uid === undefined || req.uid === '')) throw err(Errors.PARAM_EMPTY, 'uid');
  if (req.uid !== undefined && !/^\d{1,20}$/.test(req.uid)) throw err(Errors.PARAM_ERROR, 'uid');
  const base = 2_000_000_000 + randomInt(0, 1_000_000_000);
  const uids = req.count !== undefined ? Array.from({ length: req.count }, (_, i) => String(base + i * 7)) : [req.uid as string];
  const made: CreatedKey[] = [];
  for (let i = 0; i < uids.length; i += 8) {
    const chunk = uids.slice(i, i + 8);
    made.push(
      ...(await Promise.all(
        chunk.map((uid) =>
          createKey(svc.keys, svc.master, { uid, mode: req.mode, permission: req.permission, ips: req.ips, label: req.label ?? '' }).catch((e: unknown) => {
            if (e instanceof BitgetError) throw e;
            throw err(Errors.PARAM_VERIFY_FAILED, e instanceof Error ? e.message : String(e)); // "UID … exists in classic mode, not unified"
          }),
        ),
      )),
    );
  }
  await svc.refresh?.();
  return made;
}

/** Every key of the store (active and revoked), in the store's order. */
export async function listKeyRows(keys: KeyStore): Promise<KeyRow[]> {
  const accounts = new Map((await keys.listAccounts()).map((a) => [a.uid, a.mode]));
  return (await keys.listKeys()).map((k) => ({
    apiKey: k.apiKey,
    uid: k.uid,
    mode: accounts.get(k.uid) ?? '',
    permission: k.permission,
    ips: k.ips.join(','),
    label: k.label,
    status: k.revokedAt === null ? 'active' : 'revoked',
    created: new Date(k.createdAt).toISOString(),
  }));
}

/**
 * Revokes an active key; a running server refuses it (40006) from its next key poll, at once
 * when `svc.refresh` is given.
 * @throws BitgetError 40037 "Apikey does not exist" when no such active key exists.
 */
export async function revokeKey(svc: Pick<AccountServices, 'keys' | 'refresh'>, apiKey: string, now: number = Date.now()): Promise<void> {
  if (!(await svc.keys.revokeKey(apiKey, now))) throw err(Errors.APIKEY_NOT_EXIST);
  await svc.refresh?.();
}
