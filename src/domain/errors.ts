/**
 * The Bitget error catalogue: one registry of every error ordergate can return.
 *
 * Each entry has a stable Bitget `code` (a numeric STRING, leading zeros kept), a `msg`
 * template (`{0}`, `{1}` are filled by {@link err}) and the HTTP status Bitget answers with.
 * Bitget answers business, auth and parameter errors with HTTP 400 (reference §2.3), rate
 * limits with 429 and unknown paths with 404. Codes and texts come from
 * `shared/bitget-reference.md` §2.4 and §3; where the reference notes a conflict the choice is
 * documented in the README ("Where Bitget is ambiguous").
 *
 * This is the only place a code, message or HTTP status is written: test/domain/errors.test.ts
 * fails on a Bitget code literal elsewhere in src/ and on an entry nothing in src/ uses.
 */

/** One catalogue entry: Bitget code, message template, HTTP status. */
export interface ErrorDef {
  readonly code: string;
  readonly msg: string;
  readonly status: number;
}

const def = (code: string, msg: string, status = 400): ErrorDef => Object.freeze({ code, msg, status });

/** Every Bitget error ordergate emits, by a descriptive name. */
export const Errors = {
  // §2.4 / §3.1 authentication, headers, environment
  ACCESS_KEY_EMPTY: def('40001', 'ACCESS_KEY cannot be empty'),
  ACCESS_SIGN_EMPTY: def('40002', 'ACCESS_SIGN cannot be empty'),
  SIGNATURE_EMPTY: def('40003', 'Signature cannot be empty'),
  TIMESTAMP_INVALID: def('40005', 'Invalid ACCESS_TIMESTAMP'),
  ACCESS_KEY_INVALID: def('40006', 'Invalid ACCESS_KEY'),
  CONTENT_TYPE_INVALID: def('40007', 'Invalid Content_Type, please use application/json format'),
  TIMESTAMP_EXPIRED: def('40008', 'Request timestamp expired'),
  SIGN_ERROR: def('40009', 'sign signature error'),
  PASSPHRASE_EMPTY: def('40011', 'ACCESS_PASSPHRASE cannot be empty'),
  PASSPHRASE_INCORRECT: def('40012', 'apikey/password is incorrect'),
  PERMISSION_DENIED: def('40014', 'Incorrect permissions, need {0} permissions'),
  SYSTEM_ABNORMAL: def('40015', 'System is abnormal, please try again later', 500),
  /** §3.1 40010; sent (HTTP 408) to a client too slow to deliver its headers or body. */
  REQUEST_TIMEOUT: def('40010', 'Request timed out', 408),
  IP_INVALID: def('40018', 'Invalid IP'),
  APIKEY_NOT_EXIST: def('40037', 'Apikey does not exist'),
  RECEIVE_WINDOW_EXPIRED: def('40078', 'Timestamp for this request is outside of the ME receiveWindow.'),
  RECEIVE_WINDOW_TOO_LARGE: def('40079', 'receiveWindow timestamp must be less than 60s'),
  CLASSIC_ON_UTA: def(
    '40084',
    'You are in Classic Account mode, and the Unified Account API is not supported at this time',
  ),
  UTA_ON_CLASSIC: def(
    '40085',
    'You are in Unified Account mode, and the Classic Account API is not supported at this time',
  ),
  TOO_MANY_REQUESTS: def('429', 'Too Many Requests', 429),
  URL_NOT_FOUND: def('40404', 'Request URL NOT FOUND', 404),
  /**
   * A path Bitget serves (src/dialects/public/bitget-paths.json) that ordergate does not: the
   * same code and status as an unknown path, with a message naming it ({0} method, {1} path).
   */
  NOT_IMPLEMENTED: def('40404', 'Request URL NOT FOUND: {0} {1} is a Bitget endpoint that ordergate does not implement', 404),

  // §3.2 parameter validation
  PARAM_VERIFY_FAILED: def('40017', 'Parameter verification failed {0}'),
  /** Request head over the server's limit: 40017 with HTTP 431 (written to the socket by Node's parser hook). */
  HEADERS_TOO_LARGE: def('40017', 'Parameter verification failed {0}', 431),
  PARAM_EMPTY: def('40019', 'Parameter {0} cannot be empty'),
  PARAM_ERROR: def('40020', 'Parameter {0} error'),
  /**
   * A Bitget parameter ordergate does not implement (trigger orders, preset take-profit /
   * stop-loss) or a field no schema of that endpoint knows: refused, never accepted and
   * ignored. Bitget's generic 40017 "Parameter verification failed" (reference §3.2; ccxt maps
   * it to BadRequest), with a message naming the field; 400172 is not used because the
   * reference gives it conflicting meanings.
   */
  PARAM_NOT_SUPPORTED: def('40017', 'Parameter verification failed {0} is not supported by ordergate'),
  PARAM_NOT_EXIST: def('40034', 'Parameter {0} does not exist'),
  BATCH_TOO_LARGE_V2: def('40912', 'single cancel cannot exceed 50'),
  BATCH_PLACE_TOO_LARGE_V2: def('40017', 'Parameter verification failed orderList can not exceed 50'),
  BATCH_TOO_LARGE_V3: def('40306', 'Batch processing orders can only process up to 20'),
  ORDER_REF_REQUIRED: def('40924', 'orderId and clientOid must have one'),
  MIX_SYMBOL_INVALID: def('40072', 'symbol {0} is Invalid or not supported mix contract trade'),
  SPOT_SYMBOL_INVALID: def('42016', 'symbol {0} is Invalid or not supported spot trade'),
  UTA_SYMBOL_NOT_EXIST: def('25100', 'Trading pair {0} does not exist'),
  CLIENT_OID_TOO_LONG: def('40305', 'clientOid or clientOrderId length cannot greater than 64, and cannot be Martian characters'),
  SIZE_TOO_SMALL: def('43006', 'The order quantity is less than the minimum transaction quantity'),
  SIZE_TOO_LARGE: def('43007', 'The order quantity is greater than the maximum transaction quantity'),
  AMOUNT_TOO_SMALL: def('45110', 'less than the minimum amount {0} USDT'),
  PRECISION_ERROR: def('40808', 'Parameter verification exception {0}'),
  /** v3 clientOid outside `^[.A-Z:/a-z0-9_-]{1,32}$` (Place-Order notes). */
  UTA_CLIENT_OID_INVALID: def('25200', 'clientOid validation error'),
  UTA_MIXED_CATEGORY: def('25200', 'category validation error: all orders must have the same category'),

  // §3.3 order lifecycle and cancellation
  SPOT_ORDER_NOT_FOUND: def('43001', 'The order does not exist'),
  MIX_ORDER_NOT_FOUND: def('40768', 'Order does not exist'),
  MIX_ORDER_FINISHED: def('40769', 'Reject order has been completed'),
  UTA_ORDER_NOT_FOUND: def('25204', 'Order does not exist'),
  UTA_ORDER_FINISHED: def('45134', 'The order {0}:{1} have filled or cancelled'),
  CLIENT_OID_DUPLICATE_SPOT: def('43118', 'clientOrderId duplicate'),
  CLIENT_OID_DUPLICATE_MIX: def('45034', 'clientOid duplicate'),
  CLIENT_OID_DUPLICATE_UTA: def('25212', 'Duplicate clientOid'),
  FILL_SIZE_INVALID: def('40020', 'Parameter size error'),

  // §3.3 funds (issue 10, src/ledger/): an order or transfer the balance cannot fund
  /** Spot and margin placement beyond the available balance (reference §3.3; ccxt -> InsufficientFunds). */
  INSUFFICIENT_BALANCE_SPOT: def('43012', 'Insufficient balance'),
  /** Futures placement beyond the available margin; the CCXT-observed body (reference §3.3; ccxt -> InsufficientFunds). */
  INSUFFICIENT_BALANCE_MIX: def('40762', 'The order amount exceeds the balance'),
  /** Unified (v3) account placement beyond the available balance (reference §3.3). */
  INSUFFICIENT_BALANCE_UTA: def('25202', 'Insufficient balance'),
  /** A transfer or withdrawal beyond the available balance (reference §3.3 40754). */
  BALANCE_NOT_ENOUGH: def('40754', 'balance not enough'),
  // kill switches (issue 13, src/switches/): ordergate's panic block (not a Bitget feature)
  /**
   * A placement while the UID's placements are blocked by an ordergate panic (POST
   * /api/ordergate/v1/panic with block=true), until POST /api/ordergate/v1/unblock. Bitget's
   * "business restricted" code (reference §3.1 40022) with ordergate's reason appended.
   */
  PLACEMENT_BLOCKED: def('40022', 'The business of this account has been restricted: new orders are blocked by an ordergate panic until re-enabled'),
  // ordergate's own admin API (/admin/*, not a Bitget endpoint; Bitget-shaped answers)
  /** Missing or wrong `x-admin-token` header; HTTP 401, checked before the body is read. */
  ADMIN_TOKEN_INVALID: def('40014', 'Incorrect permissions, need admin permissions', 401),
} as const satisfies Record<string, ErrorDef>;

export type ErrorName = keyof typeof Errors;

// WebSocket connection-level errors (numeric codes on the wire; src/ws). Sources and ccxt's
// mapping: src/ws/codes.ts.
/** One WebSocket error: numeric code and default message. */
export interface WsErrorDef {
  readonly code: number;
  readonly msg: string;
}

const wsDef = (code: number, msg: string): WsErrorDef => Object.freeze({ code, msg });

/** Every WebSocket error ordergate emits, by a descriptive name. */
export const WsErrors = {
  /** Unknown channel / arg; also a declared channel ordergate does not serve yet (msg says so). */
  CHANNEL_NOT_EXIST: wsDef(30001, "Channel doesn't exist"),
  ILLEGAL_REQUEST: wsDef(30002, 'Illegal request'),
  /** `INVALID op:<op>`: an unknown op, or `login` on a public path. */
  INVALID_OP: wsDef(30003, 'INVALID op'),
  NOT_LOGGED_IN: wsDef(30004, 'User not logged in/User must be logged in'),
  /** Login refused for a reason without its own code (account mode, IP whitelist, bad args). */
  LOGIN_FAILED: wsDef(30005, 'Login failed'),
  /** Too many messages per second, subscribes per hour or channels per connection: frame dropped. */
  TOO_MANY_REQUESTS: wsDef(30006, 'request too many'),
  /** Far over the message rate: the connection is closed after this frame. */
  OVER_LIMIT_CLOSE: wsDef(30007, 'request over limit,connection close'),
  INVALID_ACCESS_KEY: wsDef(30011, 'Invalid ACCESS_KEY'),
  INVALID_PASSPHRASE: wsDef(30012, 'Invalid ACCESS_PASSPHRASE'),
  INVALID_TIMESTAMP: wsDef(30013, 'Invalid ACCESS_TIMESTAMP'),
  TIMESTAMP_EXPIRED: wsDef(30014, 'Request timestamp expired'),
  INVALID_SIGN: wsDef(30015, 'Invalid sign'),
  PARAM_ERROR: wsDef(30016, 'Param error'),
  /** Sent ahead of a server-side disconnect for a deploy (Bitget: ~60 s before); TEST-ONLY fault `ws-upgrade`. */
  SERVICE_UPGRADE: wsDef(30033, 'service upgrade in progress, the connection will be closed'),
} as const;


/**
 * A Bitget error as a value. Thrown anywhere below the HTTP layer and rendered by the one
 * error handler as `{code, msg, requestTime, data: null}` with `status` as HTTP status.
 */
export class BitgetError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, msg: string, status: number) {
    super(msg);
    this.name = 'BitgetError';
    this.code = code;
    this.status = status;
  }
}

/** Fills `{0}`, `{1}`… in a catalogue template. */
export function formatMsg(template: string, args: readonly unknown[]): string {
  return template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? '')).trimEnd();
}

/** Builds a throwable {@link BitgetError} from a catalogue entry and its template arguments. */
export function err(e: ErrorDef, ...args: unknown[]): BitgetError {
  return new BitgetError(e.code, formatMsg(e.msg, args), e.status);
}
