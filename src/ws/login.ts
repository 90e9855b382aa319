/**
 * WebSocket login (research-venue.md §1.3, reference §6.1):
 * `{"op":"login","args":[{"apiKey","passphrase","timestamp","sign"}]}` with
 * sign = base64(HMAC-SHA256(secret, timestamp + "GET" + "/user/verify")).
 *
 * `timestamp` is SECONDS, as a string (ccxt pro) or a JSON number (bitget-api SDK); a
 * 13-digit value is read as ms (the docs' prose says ms). It must lie within 30 s of the
 * server clock. The signature is verified with the REST helper (`signatureMatches`) over the
 * timestamp exactly as sent.
 *
 * The key checks are the REST ones (src/http/auth.ts), in the same order, with Bitget's WS
 * codes: 30016 args malformed, 30011 key missing/unknown/revoked, 30013 timestamp malformed,
 * 30014 timestamp outside 30 s, 30015 bad sign, 30012 wrong passphrase, 30005 IP not
 * whitelisted, 30005 account mode (classic keys log in on /v2, unified keys on /v3; the message
 * is REST's 40084/40085 text). Read permission is enough: no WS channel places orders.
 */
import { Errors } from '../domain/errors.js';
import type { AccountMode } from '../domain/types.js';
import type { KeyRing, LiveKey } from '../accounts/keyring.js';
import { TIMESTAMP_WINDOW_MS, signatureMatches } from '../accounts/signature.js';
import { normaliseIp } from '../http/auth.js';
import { WsErrors, wsFail, type WsFailure } from './codes.js';

/** The path the login arrived on decides the account mode it needs. */
export interface LoginContext {
  mode: AccountMode;
  /** The client's socket address. */
  ip: string;
  /** Server clock in ms. */
  now: number;
}

/** Outcome of a login: the key (its `uid` owns the connection's private channels) or a refusal. */
export type LoginResult = { ok: true; key: LiveKey } | { ok: false; failure: WsFailure };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

/** Verifies a login frame's args. Never throws; see the module header for the codes. */
export async function verifyLogin(args: unknown[], ring: KeyRing, ctx: LoginContext): Promise<LoginResult> {
  const no = (f: WsFailure): LoginResult => ({ ok: false, failure: f });
  const a = args[0];
  if (typeof a !== 'object' || a === null) return no(wsFail(WsErrors.PARAM_ERROR));
  const { apiKey, passphrase, timestamp, sign } = a as Record<string, unknown>;
  if (typeof apiKey !== 'string' || apiKey === '') return no(wsFail(WsErrors.INVALID_ACCESS_KEY));
  if (typeof passphrase !== 'string' || passphrase === '') return no(wsFail(WsErrors.INVALID_PASSPHRASE));
  if (typeof sign !== 'string' || sign === '') return no(wsFail(WsErrors.INVALID_SIGN));
  const ts = str(timestamp);
  if (ts === undefined || !/^\d{1,16}$/.test(ts)) return no(wsFail(WsErrors.INVALID_TIMESTAMP));
  const ms = ts.length >= 13 ? Number(ts) : Number(ts) * 1000;
  if (Math.abs(ctx.now - ms) > TIMESTAMP_WINDOW_MS) return no(wsFail(WsErrors.TIMESTAMP_EXPIRED));
  const key = ring.get(apiKey);
  if (!key) return no(wsFail(WsErrors.INVALID_ACCESS_KEY));
  const signed = { method: 'GET', rawUrl: '/user/verify', rawBody: '' };
  if (!signatureMatches(key.secret, signed, ts, sign)) return no(wsFail(WsErrors.INVALID_SIGN));
  let passphraseOk: boolean;
  try {
    passphraseOk = await ring.checkPassphrase(key, passphrase);
  } catch {
    // too many unverified passphrase checks already wait (bounded scrypt, accounts/passphrase.ts)
    return no(wsFail(WsErrors.LOGIN_FAILED, Errors.TOO_MANY_REQUESTS.msg));
  }
  if (!passphraseOk) return no(wsFail(WsErrors.INVALID_PASSPHRASE));
  if (key.ips.length > 0 && !key.ips.includes(normaliseIp(ctx.ip))) return no(wsFail(WsErrors.LOGIN_FAILED, Errors.IP_INVALID.msg));
  if (ctx.mode === 'unified' && key.mode !== 'unified') return no(wsFail(WsErrors.LOGIN_FAILED, Errors.CLASSIC_ON_UTA.msg));
  if (ctx.mode === 'classic' && key.mode !== 'classic') return no(wsFail(WsErrors.LOGIN_FAILED, Errors.UTA_ON_CLASSIC.msg));
  return { ok: true, key };
}
