/**
 * Bitget request authentication (reference §1.1-1.4, §2.4).
 *
 * prehash = ACCESS-TIMESTAMP + METHOD + requestPath + ("?" + query, if any) + rawBody
 * ACCESS-SIGN = base64(HMAC-SHA256(secret, prehash))
 *
 * The query is verified both as received and percent-decoded (ccxt signs the decoded form,
 * the bitget-api SDK the encoded one); a POST whose body is `{}` may also have been signed
 * over an empty body. Comparison is constant-time. Checks run in this order, each with its
 * Bitget code: 40001 key missing, 40002 sign missing, 40003 sign empty, 40011 passphrase
 * missing, 40005 timestamp malformed, 40008 timestamp outside 30 s, 40006 unknown or revoked
 * key, 40009 bad signature, 40012 wrong passphrase, 40018 IP not whitelisted, 40084/40085
 * account mode, 40014 permission.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Errors, err } from '../domain/errors.js';
import type { AccountMode } from '../domain/types.js';
import type { KeyRing, LiveKey } from './keys.js';

/** Allowed clock skew between ACCESS-TIMESTAMP and the server, in ms. */
export const TIMESTAMP_WINDOW_MS = 30_000;

/** What an endpoint requires of the caller. */
export interface AuthRequirement {
  /** classic = v2 private endpoints, unified = v3 private endpoints. */
  mode: AccountMode;
  permission: 'read' | 'trade';
  /** Words for 40014, e.g. "spot order write". */
  permissionName: string;
}

/** The parts of a request the signature covers. */
export interface SignedRequest {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  /** The URL as received: path plus optional `?query`. */
  rawUrl: string;
  /** The body exactly as received ('' when none). */
  rawBody: string;
  ip: string;
}

function header(h: SignedRequest['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function sign(secret: Buffer, prehash: string): Buffer {
  return createHmac('sha256', secret).update(prehash, 'utf8').digest();
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
}

/** Normalises an IPv4-mapped IPv6 address ("::ffff:1.2.3.4" -> "1.2.3.4"). */
export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/**
 * Verifies the signature of `req` with `key`'s secret: true when any accepted form of the
 * prehash (query raw or decoded; body as sent, or '' for a `{}` body) matches, compared in
 * constant time.
 */
export function signatureMatches(key: LiveKey, req: SignedRequest, timestamp: string, given: string): boolean {
  let givenBuf: Buffer;
  try {
    givenBuf = Buffer.from(given, 'base64');
  } catch {
    return false;
  }
  if (givenBuf.length !== 32) return false;
  const q = req.rawUrl.indexOf('?');
  const path = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
  const query = q < 0 ? '' : req.rawUrl.slice(q + 1);
  const method = req.method.toUpperCase();
  const queries = query === '' ? [''] : [`?${query}`];
  if (query !== '') {
    const decoded = safeDecode(query);
    if (decoded !== query) queries.push(`?${decoded}`);
  }
  const bodies = req.rawBody === '{}' ? ['{}', ''] : [req.rawBody];
  let ok = false;
  for (const qs of queries) {
    for (const b of bodies) {
      // evaluate every candidate: no early exit, so timing does not tell which form matched
      if (timingSafeEqual(sign(key.secret, `${timestamp}${method}${path}${qs}${b}`), givenBuf)) ok = true;
    }
  }
  return ok;
}

/**
 * Authenticates a private request.
 * @returns the caller's key (its `uid` owns everything the request touches).
 * @throws BitgetError with the codes listed in this module's header, HTTP 400.
 */
export async function authenticate(
  req: SignedRequest,
  need: AuthRequirement,
  ring: KeyRing,
  now: number,
): Promise<LiveKey> {
  const h = req.headers;
  const apiKey = header(h, 'access-key');
  if (!apiKey) throw err(Errors.ACCESS_KEY_EMPTY);
  const signature = header(h, 'access-sign');
  if (signature === undefined) throw err(Errors.ACCESS_SIGN_EMPTY);
  if (signature === '') throw err(Errors.SIGNATURE_EMPTY);
  const passphrase = header(h, 'access-passphrase');
  if (!passphrase) throw err(Errors.PASSPHRASE_EMPTY);
  const ts = header(h, 'access-timestamp');
  if (!ts || !/^\d{1,16}$/.test(ts)) throw err(Errors.TIMESTAMP_INVALID);
  if (Math.abs(now - Number(ts)) > TIMESTAMP_WINDOW_MS) throw err(Errors.TIMESTAMP_EXPIRED);
  const key = ring.get(apiKey);
  if (!key) throw err(Errors.ACCESS_KEY_INVALID);
  if (!signatureMatches(key, req, ts, signature)) throw err(Errors.SIGN_ERROR);
  if (!(await ring.checkPassphrase(key, passphrase))) throw err(Errors.PASSPHRASE_INCORRECT);
  if (key.ips.length > 0 && !key.ips.includes(normaliseIp(req.ip))) throw err(Errors.IP_INVALID);
  if (need.mode === 'unified' && key.mode !== 'unified') throw err(Errors.CLASSIC_ON_UTA);
  if (need.mode === 'classic' && key.mode !== 'classic') throw err(Errors.UTA_ON_CLASSIC);
  if (need.permission === 'trade' && key.permission !== 'trade') throw err(Errors.PERMISSION_DENIED, need.permissionName);
  return key;
}
