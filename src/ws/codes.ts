/**
 * Bitget's WebSocket connection-level error codes (numeric on the wire), the WebSocket
 * counterpart of the REST registry in `src/domain/errors.ts`. Nothing in `src/ws` invents a
 * code outside this table.
 *
 * Source: shared/bitget-reference.md §3.4 (DOC:spot/error-code/websocket.md, DOC-OLD
 * future/0071) and shared/research-venue.md §1.3/§1.8 (live frames 30003, 30004, 30015 quoted
 * from pybotters and ccxt). Real frames carry a NUMBER `code` (ccxt pro quotes
 * `{event:'error', code:30015, msg:'Invalid sign'}`), so ordergate sends numbers.
 * ccxt pro maps 30001/30003/30014/30016 to BadRequest, 30002/30004/30005/30011-30015 to
 * AuthenticationError (rejecting its login future), 30006/30007 to RateLimitExceeded.
 */

/** One WebSocket error: numeric code and default message. */
export interface WsErrorDef {
  readonly code: number;
  readonly msg: string;
}

const def = (code: number, msg: string): WsErrorDef => Object.freeze({ code, msg });

/** Every WebSocket error ordergate emits, by a descriptive name. */
export const WsErrors = {
  /** Unknown channel / arg; also a declared channel ordergate does not serve yet (msg says so). */
  CHANNEL_NOT_EXIST: def(30001, "Channel doesn't exist"),
  ILLEGAL_REQUEST: def(30002, 'Illegal request'),
  /** `INVALID op:<op>`: an unknown op, or `login` on a public path. */
  INVALID_OP: def(30003, 'INVALID op'),
  NOT_LOGGED_IN: def(30004, 'User not logged in/User must be logged in'),
  /** Login refused for a reason without its own code (account mode, IP whitelist, bad args). */
  LOGIN_FAILED: def(30005, 'Login failed'),
  /** Too many messages per second, subscribes per hour or channels per connection: frame dropped. */
  TOO_MANY_REQUESTS: def(30006, 'request too many'),
  /** Far over the message rate: the connection is closed after this frame. */
  OVER_LIMIT_CLOSE: def(30007, 'request over limit,connection close'),
  INVALID_ACCESS_KEY: def(30011, 'Invalid ACCESS_KEY'),
  INVALID_PASSPHRASE: def(30012, 'Invalid ACCESS_PASSPHRASE'),
  INVALID_TIMESTAMP: def(30013, 'Invalid ACCESS_TIMESTAMP'),
  TIMESTAMP_EXPIRED: def(30014, 'Request timestamp expired'),
  INVALID_SIGN: def(30015, 'Invalid sign'),
  PARAM_ERROR: def(30016, 'Param error'),
} as const;

/** A refusal to send as an error frame (see frames.ts `errorFrame`). */
export interface WsFailure {
  code: number;
  msg: string;
}

/** Builds a failure from a catalogue entry, with an optional message replacing the default. */
export function wsFail(d: WsErrorDef, msg?: string): WsFailure {
  return { code: d.code, msg: msg ?? d.msg };
}
