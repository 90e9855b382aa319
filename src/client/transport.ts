/**
 * HTTP transport: signs (signing.ts), paces (pacer.ts), sends with `fetch`, parses Bitget's
 * envelope (reference §2) and retries with exponential backoff and full jitter.
 *
 * Retry policy per request:
 * - `idempotent` (cancels, queries): HTTP 429, network errors, timeouts and HTTP 5xx are
 *   retried — repeating a cancel is safe (the repeat answers "not found"/"finished").
 * - `once` (placements): only HTTP 429 (rejected before processing) and connection-refused
 *   (never reached the server) are retried; anything else could double an order.
 * Every attempt is re-signed with a fresh ACCESS-TIMESTAMP (30 s window, reference §1.4).
 */
import { BitgetApiError, BitgetNetworkError, BitgetRateLimitError } from './errors.js';
import type { EndpointSpec } from './endpoints.js';
import { PacerRegistry, sleep } from './pacer.js';
import { buildQuery, signedHeaders, type Credentials, type QueryParams } from './signing.js';
import type { TransportStats } from './types.js';

/** Retry/backoff settings. */
export interface RetryOptions {
  /** Attempts after the first. Default 6. */
  maxRetries?: number;
  /** First backoff in ms (doubles each retry, full jitter). Default 100. */
  baseDelayMs?: number;
  /** Backoff cap in ms. Default 3000. */
  maxDelayMs?: number;
}

/** Transport settings. */
export interface TransportOptions {
  /** e.g. `https://api.bitget.com` or `http://127.0.0.1:8080` (a trailing slash is dropped). */
  baseUrl: string;
  credentials?: Credentials;
  /** Sends `paptrading: 1` (Bitget demo trading, reference §1.5). */
  demo?: boolean;
  /** `locale` header, default `en-US` (Bitget may answer in Chinese without it). */
  locale?: string;
  /** Per-attempt timeout in ms. Default 15000. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Shared pacers (share between clients of one UID). */
  pacers?: PacerRegistry;
  /** Replacement fetch (tests). Default global fetch. */
  fetch?: typeof fetch;
  /** Random source for jitter (tests). */
  random?: () => number;
}

/** What one logical request produced. */
export interface Sent<T> {
  data: T;
  /** Attempts made (1 = no retry). */
  attempts: number;
  /** True when an earlier attempt may have been processed though its answer was lost. */
  ambiguous: boolean;
  /** ms timestamp just before the first attempt left. */
  firstSentAt: number;
}

/** How a request may be retried; see the module comment. */
export type RetryMode = 'idempotent' | 'once';

function errnoOf(e: unknown): string {
  const x = e as { name?: string; code?: string; cause?: { code?: string; name?: string; message?: string } };
  return x?.cause?.code ?? x?.code ?? (x?.cause?.message ? x.cause.message.slice(0, 60) : undefined) ?? x?.name ?? 'ERROR';
}

/** Failures that prove the request never left (fetch refuses some ports outright: "bad port"). */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'bad port', 'invalid method']);

/** Signed, paced, retrying Bitget HTTP client. */
export class Transport {
  readonly baseUrl: string;
  readonly pacers: PacerRegistry;
  readonly stats: TransportStats = { requests: 0, retries: 0, http429: 0, networkErrors: 0 };
  private readonly fetchFn: typeof fetch;
  private readonly retry: Required<RetryOptions>;
  private readonly random: () => number;

  constructor(private readonly opts: TransportOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.pacers = opts.pacers ?? new PacerRegistry();
    this.fetchFn = opts.fetch ?? globalThis.fetch;
    this.retry = { maxRetries: 6, baseDelayMs: 100, maxDelayMs: 3000, ...opts.retry };
    this.random = opts.random ?? Math.random;
  }

  /** A snapshot of the counters. */
  snapshot(): TransportStats {
    return { ...this.stats };
  }

  private backoff(retryNo: number): number {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (retryNo - 1));
    return Math.round(cap * (0.5 + this.random() * 0.5));
  }

  /**
   * Sends one request and returns the envelope's `data`.
   * @param params GET: query parameters (sorted, signed as sent); POST: the body (object or
   *   array), sent and signed as `JSON.stringify(body)`.
   * @throws BitgetApiError (Bitget code and msg) for an error envelope, BitgetRateLimitError
   *   when 429 persists after every retry, BitgetNetworkError when no answer came.
   */
  async send<T>(spec: EndpointSpec, params: QueryParams | unknown | undefined, mode: RetryMode = 'idempotent'): Promise<Sent<T>> {
    const query = spec.method === 'GET' ? buildQuery(params as QueryParams | undefined) : '';
    const body = spec.method === 'POST' ? JSON.stringify(params ?? {}) : '';
    const url = this.baseUrl + spec.path + (query ? `?${query}` : '');
    let ambiguous = false;
    let firstSentAt = 0;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) this.stats.retries++;
      const release = await this.pacers.acquire(spec.path, spec.rateLimit);
      const headers: Record<string, string> = { 'Content-Type': 'application/json', locale: this.opts.locale ?? 'en-US' };
      if (this.opts.demo) headers.paptrading = '1';
      if (!spec.public && this.opts.credentials) Object.assign(headers, signedHeaders(this.opts.credentials, spec.method, spec.path, query, body));
      if (attempt === 1) firstSentAt = Date.now();
      this.stats.requests++;
      let res: Response;
      let text: string;
      try {
        res = await this.fetchFn(url, {
          method: spec.method,
          headers,
          ...(spec.method === 'POST' ? { body } : {}),
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
        });
        text = await res.text();
        release();
      } catch (e) {
        release();
        this.stats.networkErrors++;
        const errno = errnoOf(e);
        const maybeProcessed = !NEVER_SENT.has(errno);
        const netErr = new BitgetNetworkError({ method: spec.method, path: spec.path, maybeProcessed, errno, cause: e });
        const retryable = mode === 'idempotent' || !maybeProcessed;
        if (!retryable || attempt > this.retry.maxRetries) throw netErr;
        ambiguous ||= maybeProcessed;
        await sleep(this.backoff(attempt));
        continue;
      }
      let env: { code?: unknown; msg?: unknown; requestTime?: unknown; data?: unknown } | undefined;
      try {
        env = JSON.parse(text);
      } catch {
        env = undefined;
      }
      const code = env && env.code !== undefined ? String(env.code) : String(res.status);
      const msg = env && typeof env.msg === 'string' ? env.msg : res.statusText || text.slice(0, 200);
      const info = {
        code,
        msg,
        httpStatus: res.status,
        method: spec.method,
        path: spec.path,
        requestTime: typeof env?.requestTime === 'number' ? env.requestTime : undefined,
      };
      if (res.status === 429 || code === '429') {
        this.stats.http429++;
        this.pacers.penalise(spec.path, spec.rateLimit);
        if (attempt > this.retry.maxRetries) throw new BitgetRateLimitError(info);
        await sleep(this.backoff(attempt));
        continue;
      }
      if (res.status >= 500 && mode === 'idempotent' && attempt <= this.retry.maxRetries) {
        ambiguous = true;
        await sleep(this.backoff(attempt));
        continue;
      }
      if (res.status === 200 && env && (env.code === undefined || env.code === '00000')) {
        return { data: env.data as T, attempts: attempt, ambiguous, firstSentAt };
      }
      throw new BitgetApiError(info);
    }
  }
}
