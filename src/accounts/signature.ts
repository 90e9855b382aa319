/**
 * Bitget's request signature (reference §1.1-1.4):
 *
 * prehash = ACCESS-TIMESTAMP + METHOD + requestPath + ("?" + query, if any) + rawBody
 * ACCESS-SIGN = base64(HMAC-SHA256(secret, prehash))
 *
 * The query is verified both as received and percent-decoded (ccxt signs the decoded form,
 * the bitget-api SDK the encoded one); a POST whose body is `{}` may also have been signed
 * over an empty body. Comparison is constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Allowed clock skew between ACCESS-TIMESTAMP and the server, in ms. */
export const TIMESTAMP_WINDOW_MS = 30_000;

/** The parts of a request the signature covers. */
export interface SignedParts {
  method: string;
  /** The URL as received: path plus optional `?query`. */
  rawUrl: string;
  /** The body exactly as received ('' when none). */
  rawBody: string;
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

/**
 * Verifies `given` (base64 ACCESS-SIGN) over `req` signed at `timestamp` with `secret`: true
 * when any accepted form of the prehash (query raw or decoded; body as sent, or '' for a `{}`
 * body) matches, compared in constant time.
 */
export function signatureMatches(secret: Buffer, req: SignedParts, timestamp: string, given: string): boolean {
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
      if (timingSafeEqual(sign(secret, `${timestamp}${method}${path}${qs}${b}`), givenBuf)) ok = true;
    }
  }
  return ok;
}

/** True when `ts` (ms since epoch, as digits) is within {@link TIMESTAMP_WINDOW_MS} of `now`. */
export function timestampInWindow(ts: string, now: number): boolean {
  return Math.abs(now - Number(ts)) <= TIMESTAMP_WINDOW_MS;
}
