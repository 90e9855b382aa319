/**
 * Typed exceptions of the client. Every failure the server reports arrives as a
 * {@link BitgetApiError} carrying Bitget's own `code` (a numeric STRING such as "43001") and
 * `msg` (reference §2.2); failures to reach the server at all are {@link BitgetNetworkError};
 * bad arguments caught before any request is sent are {@link ClientUsageError}.
 */

/** Bitget codes meaning "the credentials or the key are wrong" (reference §2.4, §3.1). */
export const AUTH_CODES: ReadonlySet<string> = new Set([
  '40001', '40002', '40003', '40005', '40006', '40008', '40009', '40011', '40012', '40014',
  '40018', '40037', '40038', '40084', '40085', '40099', '49003',
]);

/** Codes meaning "no such symbol in this category" (reference §3.2). */
export const SYMBOL_UNKNOWN_CODES: ReadonlySet<string> = new Set(['40034', '40072', '40102', '42016', '25100', '40309', '41113']);

/** Codes meaning "no such order" on a query (reference §3.3). */
export const ORDER_UNKNOWN_CODES: ReadonlySet<string> = new Set(['43001', '40768', '40819', '45057', '25204', '40109', '31007', '80011']);

/**
 * A Bitget error envelope `{code, msg, requestTime, data:null}` (or a non-JSON HTTP failure,
 * then `code` is the HTTP status as a string, e.g. "502").
 */
export class BitgetApiError extends Error {
  /** Bitget code, e.g. "43001", "40009", "429". */
  readonly code: string;
  /** Bitget message, e.g. "The order does not exist". */
  readonly msg: string;
  /** HTTP status of the answer (400 for business errors, 429 rate limit, 404 unknown path). */
  readonly httpStatus: number;
  readonly method: string;
  /** Request path without host or query, e.g. `/api/v2/spot/trade/cancel-order`. */
  readonly path: string;
  /** `requestTime` of the envelope (ms), when present. */
  readonly requestTime?: number;

  constructor(init: { code: string; msg: string; httpStatus: number; method: string; path: string; requestTime?: number }) {
    super(`${init.code} ${init.msg} (${init.method} ${init.path}, HTTP ${init.httpStatus})`);
    this.name = 'BitgetApiError';
    this.code = init.code;
    this.msg = init.msg;
    this.httpStatus = init.httpStatus;
    this.method = init.method;
    this.path = init.path;
    this.requestTime = init.requestTime;
  }

  /** True for authentication, permission, IP and account-mode errors (retrying cannot help). */
  get isAuthError(): boolean {
    return AUTH_CODES.has(this.code);
  }

  /** True for HTTP 429 / code "429". */
  get isRateLimit(): boolean {
    return this.httpStatus === 429 || this.code === '429';
  }
}

/** HTTP 429 `{"code":"429","msg":"Too Many Requests"}` still answered after every retry. */
export class BitgetRateLimitError extends BitgetApiError {
  constructor(init: ConstructorParameters<typeof BitgetApiError>[0]) {
    super(init);
    this.name = 'BitgetRateLimitError';
  }
}

/**
 * The request did not get an answer: connection refused or reset, timeout, malformed
 * response. `maybeProcessed` is false only when the request certainly never reached the
 * server (connection refused / DNS failure).
 */
export class BitgetNetworkError extends Error {
  readonly method: string;
  readonly path: string;
  readonly maybeProcessed: boolean;
  /** Underlying error code when known (ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET, TimeoutError…). */
  readonly errno: string;

  constructor(init: { method: string; path: string; maybeProcessed: boolean; errno: string; cause?: unknown }) {
    super(`network error ${init.errno} on ${init.method} ${init.path}`, { cause: init.cause });
    this.name = 'BitgetNetworkError';
    this.method = init.method;
    this.path = init.path;
    this.maybeProcessed = init.maybeProcessed;
    this.errno = init.errno;
  }
}

/** The caller passed arguments the client can tell are unusable (nothing was sent). */
export class ClientUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientUsageError';
  }
}
