/**
 * Bitget's WebSocket connection-level error codes (numeric on the wire). The table itself,
 * `WsErrors`, lives in the one catalogue, `src/domain/errors.ts`; this module re-exports it and
 * builds failures from it. Nothing in `src/ws` invents a code outside that table.
 *
 * Source: shared/bitget-reference.md §3.4 (DOC:spot/error-code/websocket.md, DOC-OLD
 * future/0071) and shared/research-venue.md §1.3/§1.8 (live frames 30003, 30004, 30015 quoted
 * from pybotters and ccxt). Real frames carry a NUMBER `code` (ccxt pro quotes
 * `{event:'error', code:30015, msg:'Invalid sign'}`), so ordergate sends numbers.
 * ccxt pro maps 30001/30003/30014/30016 to BadRequest, 30002/30004/30005/30011-30015 to
 * AuthenticationError (rejecting its login future), 30006/30007 to RateLimitExceeded.
 */

import { WsErrors, type WsErrorDef } from '../domain/errors.js';

export { WsErrors, type WsErrorDef };

/** A refusal to send as an error frame (see frames.ts `errorFrame`). */
export interface WsFailure {
  code: number;
  msg: string;
}

/** Builds a failure from a catalogue entry, with an optional message replacing the default. */
export function wsFail(d: WsErrorDef, msg?: string): WsFailure {
  return { code: d.code, msg: msg ?? d.msg };
}
