/**
 * Bitget's response envelope (reference §2.1-2.2):
 * success `{"code":"00000","msg":"success","requestTime":<ms>,"data":...}`,
 * error   `{"code":"<5-digit string>","msg":"...","requestTime":<ms>,"data":null}`.
 * `code` is always a string, `requestTime` always a number.
 */

/** The envelope every response carries. */
export interface Envelope<T = unknown> {
  code: string;
  msg: string;
  requestTime: number;
  data: T | null;
}

/** Wraps `data` in a success envelope. */
export function ok<T>(data: T, now: number = Date.now()): Envelope<T> {
  return { code: '00000', msg: 'success', requestTime: now, data };
}

/** An error envelope. */
export function fail(code: string, msg: string, now: number = Date.now()): Envelope<null> {
  return { code, msg, requestTime: now, data: null };
}

/** JSON nesting allowed in a request body; deeper bodies are rejected with 40017. */
export const MAX_JSON_DEPTH = 32;

/** Maximum request body size in bytes (1 MiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Deepest nesting of arrays/objects in a JSON text (strings skipped), in one pass. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped char
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}
