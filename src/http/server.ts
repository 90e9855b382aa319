/**
 * The HTTP server: Fastify with the raw body kept for the signature, one JSON parser with
 * size and depth limits, one error handler rendering every failure as a Bitget envelope,
 * and every declared endpoint registered with
 * auth headers (before the body is read) -> body (raw, within the in-flight budget) ->
 * signature and passphrase -> JSON parse -> rate limit -> validation -> handler.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { BitgetError, Errors, err, formatMsg, type ErrorDef } from '../domain/errors.js';
import bitgetPaths from '../dialects/public/bitget-paths.json' with { type: 'json' };
import type { LiveKey } from '../accounts/keyring.js';
import { checkHeaders, verifyRequest, type Claim } from './auth.js';
import type { AppServices, Endpoint } from './endpoint.js';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH, fail, jsonDepth, ok } from './envelope.js';
import { AuthFailures, BodyBudget, DEFAULT_LIMITS, type ServerLimits } from './limits.js';
import type { RateLimiter } from './ratelimit.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody: string;
    apiKey?: LiveKey;
    /** What the auth headers claim, checked before the body is read. */
    claim?: Claim;
  }
  interface FastifyContextConfig {
    endpoint?: Endpoint;
  }
}

/** What `GET /health` reports: the store kind and a cheap check that the store answers (rejects otherwise). */
export interface HealthCheck {
  store: string;
  check(): Promise<void>;
}

/** Options of {@link buildServer}. */
export interface ServerOptions {
  services: AppServices;
  endpoints: readonly Endpoint[];
  limiter: RateLimiter;
  trustProxy?: boolean | string | number;
  logLevel?: string;
  /** Registers extra routes on the instance before it is ready. */
  extra?: (app: FastifyInstance) => void;
  /**
   * Token the `admin` auth kind (`Endpoint.admin`) requires in `x-admin-token`; when unset every
   * admin endpoint answers 401 (fail closed).
   */
  adminToken?: string;
  /** Backs `GET /health`: the store kind, and a check that resolves when the store answers. */
  health?: HealthCheck;
  /** Slow-client limits, ms (defaults {@link DEFAULT_TIMEOUTS}). */
  timeouts?: Partial<ServerTimeouts>;
  /** Connection, in-flight body and failed-auth limits (defaults {@link DEFAULT_LIMITS}). */
  limits?: Partial<ServerLimits>;
}

/** Limits on slow clients, all in ms. */
export interface ServerTimeouts {
  /** Time allowed to deliver the request headers (slowloris guard); answered 408 / 40010. */
  headersMs: number;
  /** Time allowed to deliver the whole request (headers and body); answered 408 / 40010. */
  requestMs: number;
  /** Idle socket timeout (no bytes either way) while a request is under way. */
  idleMs: number;
  /** How long a keep-alive socket may sit idle between requests. */
  keepAliveMs: number;
  /** How often Node sweeps connections for the two limits above. */
  checkIntervalMs: number;
}

/** Default slow-client limits. */
export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000, idleMs: 60_000, keepAliveMs: 72_000, checkIntervalMs: 1_000 };

/** Largest accepted request head (request line + headers), bytes; larger is answered 431 / 40017. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Answers a request Node's HTTP parser rejected before Fastify saw it (malformed bytes,
 * oversized headers, slow client) with a Bitget envelope and an `x-request-id`, then closes
 * the socket: 408/40010 timeout, 431/40017 headers too large, 400/40017 otherwise.
 */
function clientErrorHandler(this: FastifyInstance, e: NodeJS.ErrnoException, socket: Socket): void {
  if (e.code === 'ECONNRESET' || socket.destroyed) return;
  let def: ErrorDef = Errors.PARAM_VERIFY_FAILED;
  let detail = 'malformed HTTP request';
  if (e.code === 'ERR_HTTP_REQUEST_TIMEOUT') (def = Errors.REQUEST_TIMEOUT), (detail = '');
  else if (e.code === 'HPE_HEADER_OVERFLOW') (def = Errors.HEADERS_TOO_LARGE), (detail = `request headers larger than ${MAX_HEADER_BYTES} bytes`);
  const status = def.status;
  const reqId = randomUUID();
  this.log.debug({ reqId, code: e.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(fail(def.code, formatMsg(def.msg, [detail])));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${reqId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Maps an AJV validation error to a Bitget error (40019 missing, 40020 malformed, batch limit). */
function validationError(e: FastifyError, ep: Endpoint | undefined): BitgetError {
  const v = e.validation?.[0];
  if (!v) return err(Errors.PARAM_VERIFY_FAILED, '');
  const segments = v.instancePath.split('/').filter((s) => s !== '' && !/^\d+$/.test(s));
  const field = segments[segments.length - 1];
  if (v.keyword === 'required') {
    return err(Errors.PARAM_EMPTY, (v.params as { missingProperty: string }).missingProperty);
  }
  if (v.keyword === 'maxItems' && ep?.tooMany) return err(ep.tooMany);
  if (v.keyword === 'minItems') return err(Errors.PARAM_EMPTY, field ?? 'body');
  if (field === undefined) return err(Errors.PARAM_VERIFY_FAILED, 'request body must be a JSON ' + (v.keyword === 'type' ? String((v.params as { type: string }).type) : 'value'));
  return err(Errors.PARAM_ERROR, field);
}

/** Renders any thrown value as [HTTP status, Bitget code, msg]. Never leaks a stack trace. */
function toBitget(e: unknown, req: FastifyRequest): { status: number; code: string; msg: string; internal: boolean } {
  if (e instanceof BitgetError) return { status: e.status, code: e.code, msg: e.message, internal: e.status >= 500 };
  const fe = e as FastifyError;
  if (fe && Array.isArray(fe.validation)) {
    const b = validationError(fe, req.routeOptions?.config?.endpoint);
    return { status: b.status, code: b.code, msg: b.message, internal: false };
  }
  const pick = (d: ErrorDef, ...args: unknown[]) => ({ status: d.status, code: d.code, msg: formatMsg(d.msg, args), internal: false });
  switch (fe?.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return pick(fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? Errors.CONTENT_TYPE_INVALID : Errors.PARAM_VERIFY_FAILED, 'invalid Content-Length');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return pick(Errors.PARAM_VERIFY_FAILED, `request body larger than ${MAX_BODY_BYTES} bytes`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return pick(Errors.PARAM_VERIFY_FAILED, 'empty JSON body');
  }
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return pick(Errors.PARAM_VERIFY_FAILED, 'bad request');
  }
  return { status: Errors.SYSTEM_ABNORMAL.status, code: Errors.SYSTEM_ABNORMAL.code, msg: Errors.SYSTEM_ABNORMAL.msg, internal: true };
}

/** Bitget's REST endpoints ("METHOD /path"), generated by scripts/bitget-paths.mjs from bitget-api and ccxt. */
const BITGET_ENDPOINTS: ReadonlySet<string> = new Set(bitgetPaths as string[]);

/**
 * 404 / 40404 for every request no route serves. A Bitget endpoint ordergate does not
 * implement (listed in src/dialects/public/bitget-paths.json, method and path) is named in
 * the message ({@link Errors.NOT_IMPLEMENTED}); anything else (a mistyped path, a wrong
 * method, HEAD) gets Bitget's own `Request URL NOT FOUND`.
 */
function notFoundHandler(req: FastifyRequest, reply: FastifyReply): void {
  const path = (req.raw.url ?? req.url).split('?')[0].replace(/\/+$/, '');
  const d = BITGET_ENDPOINTS.has(`${req.method} ${path}`) ? err(Errors.NOT_IMPLEMENTED, req.method, path) : err(Errors.URL_NOT_FOUND);
  reply.code(d.status).send(fail(d.code, d.message));
}

/**
 * The `admin` auth kind: on a route declared with `admin: true`, the `x-admin-token` header
 * must equal `token` (compared in constant time over SHA-256 digests). Runs in onRequest, so a
 * refused request's body is never read or parsed. Refusal: 401 / 40014
 * ({@link Errors.ADMIN_TOKEN_INVALID}); no token configured refuses everything.
 */
function installAdminAuth(app: FastifyInstance, token: string | undefined): void {
  const want = token ? createHash('sha256').update(token).digest() : undefined;
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.endpoint?.admin !== true) return;
    const given = req.headers['x-admin-token'];
    const digest = createHash('sha256').update(typeof given === 'string' ? given : '').digest();
    if (!want || !timingSafeEqual(digest, want)) throw err(Errors.ADMIN_TOKEN_INVALID);
  });
}

/** Bitget code of a 4xx answer, kept between onSend and onResponse for the log line. */
const answeredCode = new WeakMap<FastifyRequest, string>();

/**
 * Logs every 4xx answer at info as one compact line: method, path (no query), status,
 * Bitget code, request id (pino's `reqId`) and the UID when authenticated. Never headers,
 * bodies, signatures or keys.
 */
function installClientErrorLog(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode >= 400 && reply.statusCode < 500 && typeof payload === 'string') {
      const m = /"code":"([^"]{0,16})"/.exec(payload);
      if (m) answeredCode.set(req, m[1]);
    }
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    const status = reply.statusCode;
    if (status < 400 || status >= 500) return;
    const path = (req.raw.url ?? req.url).split('?')[0].slice(0, 200);
    const code = answeredCode.get(req) ?? '';
    const uid = req.apiKey?.uid;
    req.log.info({ method: req.method, path, status, code, ...(uid ? { uid } : {}) }, `${req.method} ${path} ${status} ${code}`);
  });
}

/**
 * `GET /health` (no auth, no rate limit): `200 {"status":"ok","store":"sqlite"|"postgres"}`
 * when `health.check` resolves within 2 s (it asks the store one cheap question), else
 * `503 {"status":"unavailable","store":…}`. Not a Bitget endpoint, so not a Bitget envelope.
 */
function installHealth(app: FastifyInstance, health: HealthCheck): void {
  app.get('/health', async (_req, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        health.check(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('store did not answer within 2 s')), 2000);
        }),
      ]);
      return { status: 'ok', store: health.store };
    } catch (e) {
      app.log.warn(`GET /health: store check failed: ${e instanceof Error ? e.message : String(e)}`);
      return reply.code(503).send({ status: 'unavailable', store: health.store });
    } finally {
      clearTimeout(timer);
    }
  });
}

/**
 * Parses a raw JSON body ('' or blanks: undefined).
 * @throws BitgetError 40017 when nested deeper than {@link MAX_JSON_DEPTH} or malformed.
 */
function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw err(Errors.PARAM_VERIFY_FAILED, `JSON nested deeper than ${MAX_JSON_DEPTH}`);
  try {
    return JSON.parse(text);
  } catch {
    throw err(Errors.PARAM_VERIFY_FAILED, 'malformed JSON body');
  }
}

/** Body bytes a request announces (Content-Length, or the body limit when chunked), capped at the body limit. */
function announcedBodyBytes(req: FastifyRequest): number {
  const len = req.headers['content-length'];
  if (len !== undefined) {
    const n = Number(len);
    return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_BODY_BYTES) : 0;
  }
  return req.headers['transfer-encoding'] !== undefined ? MAX_BODY_BYTES : 0;
}

/**
 * True when nothing will look at the request's body: an unknown path (404) or a public GET
 * endpoint. Such a body is not read at all (not buffered, not parsed).
 */
function bodyUnused(req: FastifyRequest): boolean {
  if (req.is404) return true;
  const ep = req.routeOptions.config?.endpoint;
  return ep !== undefined && ep.auth === undefined && ep.method === 'GET';
}

/**
 * An empty stream standing in for a body that is not read: it reports the announced length
 * as received (Fastify's `receivedEncodedLength`) so the Content-Length check passes.
 */
function unreadBody(req: FastifyRequest): Readable {
  const empty = Readable.from([]) as Readable & { receivedEncodedLength?: number };
  const n = Number(req.headers['content-length']);
  if (Number.isFinite(n)) empty.receivedEncodedLength = n;
  return empty;
}

/** Refusing before the body is read: close the connection after the answer rather than read the rest. */
function closeIfBody(req: FastifyRequest, reply: FastifyReply): void {
  if (announcedBodyBytes(req) > 0) reply.header('connection', 'close');
}

/** Failures that mean the caller did not prove who it is (counted per IP); not mode or permission. */
const AUTH_FAILURE_CODES = new Set(
  [
    Errors.ACCESS_KEY_EMPTY,
    Errors.ACCESS_SIGN_EMPTY,
    Errors.SIGNATURE_EMPTY,
    Errors.TIMESTAMP_INVALID,
    Errors.ACCESS_KEY_INVALID,
    Errors.TIMESTAMP_EXPIRED,
    Errors.SIGN_ERROR,
    Errors.PASSPHRASE_EMPTY,
    Errors.PASSPHRASE_INCORRECT,
    Errors.IP_INVALID,
  ].map((e) => e.code),
);

/** The success envelope around an endpoint's `data` schema (for its compiled 200 serializer). */
function envelopeSchema(data: TSchema): TSchema {
  return Type.Object({ code: Type.String(), msg: Type.String(), requestTime: Type.Number(), data });
}

/** Builds (but does not start) the Fastify app. */
export function buildServer(opts: ServerOptions): FastifyInstance {
  const { services, limiter } = opts;
  if (opts.trustProxy === true) {
    // every X-Forwarded-For hop trusted: any client could choose the IP the whitelist checks
    throw new Error('trustProxy true is refused: give the proxy address or CIDR list (ORDERGATE_TRUST_PROXY)');
  }
  const t: ServerTimeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const bodyBudget = new BodyBudget(limits.bodyBytesInFlight);
  const authFailures = new AuthFailures(limits.authFailures, limits.authFailureWindowMs);
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info', redact: ['req.headers["access-passphrase"]', 'req.headers["access-sign"]'] },
    logController: new LogController({ disableRequestLogging: opts.logLevel !== 'debug' && opts.logLevel !== 'trace' }),
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: (opts.trustProxy ?? false) as boolean,
    http: {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: t.headersMs,
      requestTimeout: t.requestMs,
      connectionsCheckingInterval: t.checkIntervalMs,
    },
    requestTimeout: t.requestMs,
    connectionTimeout: t.idleMs,
    keepAliveTimeout: t.keepAliveMs,
    clientErrorHandler,
    // a path Fastify cannot decode (e.g. '%ZZ') names no endpoint: Bitget's 404 envelope
    frameworkErrors: (e, req, r) => {
      const reply = r as unknown as FastifyReply;
      reply.header('x-request-id', req.id);
      const d = e.code === 'FST_ERR_BAD_URL' || e.code === 'FST_ERR_MAX_PARAM_LENGTH' ? Errors.URL_NOT_FOUND : Errors.PARAM_VERIFY_FAILED;
      reply.code(d.status).send(fail(d.code, formatMsg(d.msg, ['bad request'])));
    },
    return503OnClosing: false,
    exposeHeadRoutes: false, // Bitget serves GET and POST only: HEAD gets the 404 envelope
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, strict: false } },
    routerOptions: { ignoreTrailingSlash: true },
  });

  app.decorateRequest('rawBody', '');
  app.decorateRequest('claim', undefined);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  if (limits.maxConnections > 0) app.server.maxConnections = limits.maxConnections;

  // A body nothing will use (unknown path, public GET) is not read. Otherwise the in-flight
  // body budget: a request reserves its announced body size before any of it is read
  // (after the private endpoints' header check in onRequest), and gives it back when its
  // response is done or its connection closes. Over the budget: 429, body not read.
  app.addHook('preParsing', async (req, reply, payload) => {
    const bytes = announcedBodyBytes(req);
    if (bytes === 0) return payload;
    if (bodyUnused(req)) {
      reply.header('connection', 'close');
      return unreadBody(req);
    }
    if (!bodyBudget.take(bytes)) {
      reply.header('connection', 'close');
      throw err(Errors.TOO_MANY_REQUESTS);
    }
    let held = true;
    const give = () => {
      if (held) (held = false), bodyBudget.give(bytes);
    };
    reply.raw.once('close', give);
    reply.raw.once('finish', give);
    return payload;
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (req, body, done) => {
    const text = body as string;
    req.rawBody = text;
    // declared endpoints parse in preValidation, after the signature verified
    if (req.routeOptions.config?.endpoint) return done(null, undefined);
    try {
      done(null, parseJsonBody(text));
    } catch (e) {
      done(e as BitgetError, undefined);
    }
  });

  app.setErrorHandler((e, req, reply) => {
    const r = toBitget(e, req);
    if (r.internal) req.log.error({ err: e }, 'internal error');
    reply.code(r.status).send(fail(r.code, r.msg));
  });

  app.setNotFoundHandler(notFoundHandler);
  installAdminAuth(app, opts.adminToken);
  installClientErrorLog(app);
  if (opts.health) installHealth(app, opts.health);

  for (const ep of opts.endpoints) {
    app.route({
      method: ep.method,
      url: ep.path,
      config: { endpoint: ep },
      schema: {
        ...(ep.body ? { body: ep.body } : {}),
        ...(ep.query ? { querystring: ep.query } : {}),
        ...(ep.response ? { response: { 200: envelopeSchema(ep.response) } } : {}),
      },
      // private endpoints: headers checked on the request head, before any body byte is read
      ...(ep.auth
        ? {
            onRequest: async (req: FastifyRequest, reply: FastifyReply) => {
              if (await authFailures.blocked(req.ip)) {
                closeIfBody(req, reply);
                throw err(Errors.TOO_MANY_REQUESTS);
              }
              try {
                req.claim = checkHeaders(req.headers, services.keyring, Date.now());
              } catch (e) {
                await authFailures.failed(req.ip);
                closeIfBody(req, reply);
                throw e;
              }
            },
          }
        : {}),
      preValidation: async (req, reply) => {
        let bucket: string;
        if (ep.auth) {
          try {
            req.apiKey = await verifyRequest(
              req.claim as Claim,
              { method: req.method, rawUrl: req.raw.url ?? req.url, rawBody: req.rawBody, ip: req.ip },
              ep.auth,
              services.keyring,
            );
          } catch (e) {
            if (e instanceof BitgetError && AUTH_FAILURE_CODES.has(e.code)) await authFailures.failed(req.ip);
            throw e;
          }
          bucket = `uid:${req.apiKey.uid}:${ep.path}`;
        } else {
          bucket = `ip:${req.ip}:${ep.path}`;
        }
        // JSON is parsed only now, after the signature verified (the raw body was signed)
        if (req.body === undefined) req.body = parseJsonBody(req.rawBody);
        const verdict = await limiter.consume(bucket, ep.rateLimit);
        reply.header('x-mbx-used-remain-limit', String(verdict.remaining));
        if (!verdict.allowed) throw err(Errors.TOO_MANY_REQUESTS);
        if (ep.method === 'POST' && req.body === undefined && (!ep.body || (ep.body as { type?: string }).type === 'object')) req.body = {};
      },
      handler: async (req) => {
        const key = req.apiKey as LiveKey;
        const data = await ep.handle({
          body: (req.body ?? {}) as never,
          query: (req.query ?? {}) as never,
          key,
          uid: key?.uid,
          ip: req.ip,
          services,
          now: Date.now(),
        });
        return ok(data);
      },
    });
  }
  opts.extra?.(app);
  return app;
}
