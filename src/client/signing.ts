/**
 * Bitget request signing (reference §1.1-1.2):
 *
 *   prehash     = ACCESS-TIMESTAMP + METHOD + requestPath + ("?" + queryString, if any) + body
 *   ACCESS-SIGN = base64(HMAC-SHA256(secretKey, prehash))
 *
 * GET: query keys are sorted and values `encodeURIComponent`-encoded (as the bitget-api SDK
 * does); the SAME string is sent in the URL and signed. POST: the exact JSON text sent is
 * signed ('' for a request without body). The timestamp is Unix epoch milliseconds.
 */
import { createHmac } from 'node:crypto';

/** Query parameters: `undefined` values are dropped (never sent, never signed). */
export type QueryParams = Record<string, string | number | undefined>;

/**
 * Serialises a query: keys sorted by code unit, values percent-encoded, `undefined` dropped.
 * @returns `a=1&b=x%20y`, or '' when nothing is left.
 */
export function buildQuery(params: QueryParams | undefined): string {
  if (!params) return '';
  return Object.keys(params)
    .filter((k) => params[k] !== undefined)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(params[k]))}`)
    .join('&');
}

/** Base64 HMAC-SHA256 of the Bitget prehash string. */
export function sign(secretKey: string, timestamp: string, method: string, requestPath: string, query: string, body: string): string {
  const prehash = timestamp + method.toUpperCase() + requestPath + (query === '' ? '' : `?${query}`) + body;
  return createHmac('sha256', secretKey).update(prehash, 'utf8').digest('base64');
}

/** API credentials of one key. */
export interface Credentials {
  apiKey: string;
  secretKey: string;
  passphrase: string;
}

/**
 * The ACCESS-* headers of one signed request.
 * @param timestamp ms since epoch (default now).
 */
export function signedHeaders(
  creds: Credentials,
  method: 'GET' | 'POST',
  requestPath: string,
  query: string,
  body: string,
  timestamp: number = Date.now(),
): Record<string, string> {
  const ts = String(timestamp);
  return {
    'ACCESS-KEY': creds.apiKey,
    'ACCESS-SIGN': sign(creds.secretKey, ts, method, requestPath, query, body),
    'ACCESS-TIMESTAMP': ts,
    'ACCESS-PASSPHRASE': creds.passphrase,
  };
}
