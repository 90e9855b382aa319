/**
 * Bitget's countdown cancel-all (`POST /api/v3/trade/countdown-cancel-all`, DOC
 * uta/trade/CountDown-Cancel-All.md; research-venue.md §2.1): body `{"countdown":"N"}`, N whole
 * seconds in [5, 60], `"0"` turns it off; answer `data: "success"`. Unified accounts only (a
 * classic key gets 40084 from auth, as on every /api/v3 private path); 1 request/s per UID.
 *
 * Not documented by Bitget, ordergate's choice (README "Kill switches"): a countdown outside
 * [5, 60] (or not a whole number) is `40020 Parameter countdown error`; an empty one `40019
 * Parameter countdown cannot be empty`. ordergate's extension (/api/ordergate/v1/countdown-cancel-all)
 * reuses this parser with its own range.
 */
import { Type } from '@sinclair/typebox';
import { Errors, err } from '../../domain/errors.js';
import { Str } from '../common/index.js';

/** The countdown body: `countdown` seconds as a string (a JSON number is accepted too). */
export const CountdownBody = Type.Object({ countdown: Type.Union([Str(20), Type.Number()]) });
export type CountdownBody = typeof CountdownBody.static;

/**
 * Seconds of a countdown: 0 (disarm) or a whole number in [min, max].
 * @throws BitgetError 40019 empty, 40020 anything else out of range or not a whole number.
 */
export function parseCountdown(v: string | number, range: { min: number; max: number }): number {
  const s = String(v).trim();
  if (s === '') throw err(Errors.PARAM_EMPTY, 'countdown');
  if (!/^\d{1,6}$/.test(s)) throw err(Errors.PARAM_ERROR, 'countdown');
  const n = Number(s);
  if (n !== 0 && (n < range.min || n > range.max)) throw err(Errors.PARAM_ERROR, 'countdown');
  return n;
}
