/**
 * The HTTP side of Bitget request authentication (reference §1.1-1.4, §2.4): reads the ACCESS-*
 * headers and hands them to src/accounts (key ring, signature, passphrase).
 *
 * It runs in two phases, so an unauthenticated client cannot make the server read its body:
 * 1. {@link checkHeaders}, on the request head only (Fastify onRequest, before any body byte is
 *    read): 40001 key missing, 40002 sign missing, 40003 sign empty, 40011 passphrase missing,
 *    40005 timestamp malformed, 40008 timestamp outside 30 s, 40006 unknown or revoked key.
 * 2. {@link verifyRequest}, once the raw body is in (before it is JSON-parsed): 40009 bad
 *    signature, 40012 wrong passphrase, 40018 IP not whitelisted, 40084/40085 account mode,
 *    40014 permission.
 * Each check answers with its Bitget code and HTTP 400, in this order.
 */
import { Errors, err } from '../domain/errors.js';
import type { AccountMode } from '../domain/types.js';
import type { KeyRing, LiveKey } from '../accounts/keyring.js';
import { signatureMatches, timestampInWindow, type SignedParts } from '../accounts/signature.js';

export { TIMESTAMP_WINDOW_MS } from '../accounts/signature.js';

/** What an endpoint requires of the caller. */
export interface AuthRequirement {
  /** classic = v2 private endpoints, unified = v3 private endpoints, any = ordergate's extensions (/api/ordergate/v1). */
  mode: AccountMode | 'any';
  permission: 'read' | 'trade';
  /** Words for 40014, e.g. "spot order write". */
  permissionName: string;
}

/** Request headers as Node gives them. */
export type Headers = Record<string, string | string[] | undefined>;

/** The parts of a request authentication looks at. */
export interface SignedRequest extends SignedParts {
  headers: Headers;
  ip: string;
}

/** What the head of a request claims: a known key and the credentials still to verify. */
export interface Claim {
  key: LiveKey;
  timestamp: string;
  signature: string;
  passphrase: string;
}

function header(h: Headers, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Normalises an IPv4-mapped IPv6 address ("::ffff:1.2.3.4" -> "1.2.3.4"). */
export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/**
 * Phase 1, headers only: the ACCESS-* headers are present, the timestamp is in the window and
 * the key is known and not revoked. Cheap (no HMAC, no scrypt, no body).
 * @throws BitgetError 40001, 40002, 40003, 40011, 40005, 40008, 40006 (HTTP 400).
 */
export function checkHeaders(h: Headers, ring: KeyRing, now: number): Claim {
  const apiKey = header(h, 'access-key');
  if (!apiKey) throw err(Errors.ACCESS_KEY_EMPTY);
  const signature = header(h, 'access-sign');
  if (signature === undefined) throw err(Errors.ACCESS_SIGN_EMPTY);
  if (signature === '') throw err(Errors.SIGNATURE_EMPTY);
  const passphrase = header(h, 'access-passphrase');
  if (!passphrase) throw err(Errors.PASSPHRASE_EMPTY);
  const timestamp = header(h, 'access-timestamp');
  if (!timestamp || !/^\d{1,16}$/.test(timestamp)) throw err(Errors.TIMESTAMP_INVALID);
  if (!timestampInWindow(timestamp, now)) throw err(Errors.TIMESTAMP_EXPIRED);
  const key = ring.get(apiKey);
  if (!key) throw err(Errors.ACCESS_KEY_INVALID);
  return { key, timestamp, signature, passphrase };
}

/**
 * Phase 2, with the raw body: signature, passphrase, IP whitelist, account mode, permission.
 * @returns the caller's key (its `uid` owns everything the request touches).
 * @throws BitgetError 40009, 40012, 40018, 40084, 40085, 40014 (HTTP 400); 429 when too many
 *   passphrase checks of unverified keys already wait (accounts/passphrase.ts).
 */
export async function verifyRequest(claim: Claim, req: SignedParts & { ip: string }, need: AuthRequirement, ring: KeyRing): Promise<LiveKey> {
  const { key } = claim;
  if (!ring.get(key.apiKey)) throw err(Errors.ACCESS_KEY_INVALID); // revoked while the body was read
  if (!signatureMatches(key.secret, req, claim.timestamp, claim.signature)) throw err(Errors.SIGN_ERROR);
  if (!(await ring.checkPassphrase(key, claim.passphrase))) throw err(Errors.PASSPHRASE_INCORRECT);
  if (key.ips.length > 0 && !key.ips.includes(normaliseIp(req.ip))) throw err(Errors.IP_INVALID);
  if (need.mode === 'unified' && key.mode !== 'unified') throw err(Errors.CLASSIC_ON_UTA);
  if (need.mode === 'classic' && key.mode !== 'classic') throw err(Errors.UTA_ON_CLASSIC);
  if (need.permission === 'trade' && key.permission !== 'trade') throw err(Errors.PERMISSION_DENIED, need.permissionName);
  return key;
}

/**
 * Both phases at once (for callers that already hold the whole request).
 * @throws BitgetError with the codes listed in this module's header.
 */
export async function authenticate(req: SignedRequest, need: AuthRequirement, ring: KeyRing, now: number): Promise<LiveKey> {
  return verifyRequest(checkHeaders(req.headers, ring, now), req, need, ring);
}
