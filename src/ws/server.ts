/**
 * The WebSocket server on the REST port (issue 12; research-venue.md §1.1, §1.11):
 * `/v2/ws/public`, `/v2/ws/private`, `/v3/ws/public`, `/v3/ws/private`, served by `ws` in
 * `noServer` mode on the Fastify HTTP server's `upgrade` event. Any other upgrade path is
 * answered HTTP 404 with Bitget's 404 envelope; an IP over its connection limits HTTP 429.
 * Public topics are accepted on the private paths too (the bitget-api SDK's single `wsUrl`
 * sends public and private subscriptions to the same URL).
 *
 * Without an EventBus the server still speaks the whole protocol (login, acks, limits); it
 * just has nothing to push.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer } from 'ws';
import { Errors } from '../domain/errors.js';
import type { Engine } from '../engine/engine.js';
import type { EventBus } from '../events/types.js';
import { normaliseIp } from '../http/auth.js';
import { fail } from '../http/envelope.js';
import type { KeyRing } from '../accounts/keyring.js';
import type { Catalogue } from '../markets/catalogue.js';
import type { CodHooks } from './cod.js';
import { Connection, type WsPath } from './connection.js';
import { Dispatcher } from './dispatcher.js';
import { ConnectionFaults, wsFaultsOn, type WsFaultCounters, type WsFaultSpec } from './faults.js';
import { errorFrame } from './frames.js';
import { WsErrors, wsFail } from './codes.js';
import { IpLimiter, type WsLimits } from './limits.js';
import { Registry } from './registry.js';

/** The four Bitget paths. */
export const WS_PATHS: Readonly<Record<string, WsPath>> = {
  '/v2/ws/public': { family: 'v2', private: false },
  '/v2/ws/private': { family: 'v2', private: true },
  '/v3/ws/public': { family: 'v3', private: false },
  '/v3/ws/private': { family: 'v3', private: true },
};

/** Largest frame a client may send (Bitget caps a subscribe's args at 4096 bytes). */
export const MAX_FRAME_BYTES = 64 * 1024;

/** What the WebSocket server needs. */
export interface WsServerOptions {
  keyring: KeyRing;
  catalogue: Catalogue;
  /** Committed events to push; none: the protocol is served with nothing to push. */
  bus?: EventBus;
  limits: WsLimits;
  /** Cancel-on-disconnect hooks (src/ws/cod.ts; the app passes its SwitchService). */
  cod?: CodHooks;
  /** Where the account / positions snapshots are read (none: those channels push nothing). */
  engine?: Engine;
  /** TEST-ONLY WS faults (the `ws-*` entries of ORDERGATE_FAULTS, via Config.faults); none when absent. */
  faults?: WsFaultSpec;
}

/** The running WebSocket server. */
export interface WsServer {
  /** Open connections. */
  readonly connections: number;
  /** Subscriptions held over all connections (one per connection and channel). */
  readonly subscriptions: number;
  /** The fan-out (exposed for tests and the bench). */
  readonly dispatcher: Dispatcher;
  /** Faults injected so far (undefined when no `ws-*` fault is set). */
  readonly faults: WsFaultCounters | undefined;
  /**
   * Cuts every open connection without a close frame, as a network failure would (clients see
   * 1006 and reconnect); returns how many. For tests of reconnect logic and for draining.
   */
  terminateAll(): number;
  /** Closes every connection and stops listening to the bus (also done on app close). */
  close(): void;
}

function reject(socket: Duplex, status: number, text: string, body: object): void {
  const json = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`);
}

/** Attaches the WebSocket endpoints to `app`'s HTTP server; call before `listen`. */
export function attachWebSocket(app: FastifyInstance, opts: WsServerOptions): WsServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const registry = new Registry<Connection>();
  const ipLimiter = new IpLimiter(opts.limits);
  const onError = (e: unknown) => app.log.error({ err: e }, 'websocket error');
  const dispatcher = new Dispatcher(registry, opts.catalogue, onError, opts.engine);
  const open = new Set<Connection>();
  if (opts.bus) dispatcher.start(opts.bus);
  const faults = opts.faults && wsFaultsOn(opts.faults) ? opts.faults : undefined;
  const faultCounters: WsFaultCounters | undefined = faults ? { cut: 0, dup: 0, upgrade: 0 } : undefined;
  const limits = faults?.maxAgeMs !== undefined ? { ...opts.limits, maxAgeMs: faults.maxAgeMs } : opts.limits;
  if (faults) app.log.warn({ wsFaults: faults }, 'ORDERGATE_FAULTS has ws-* entries: injecting WebSocket faults (test-only)');
  const upgradeFrame = errorFrame(wsFail(WsErrors.SERVICE_UPGRADE));
  let accepted = 0;

  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const raw = (req.url ?? '').split('?')[0];
    const path = WS_PATHS[raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw];
    if (!path) return reject(socket, 404, 'Not Found', fail(Errors.URL_NOT_FOUND.code, Errors.URL_NOT_FOUND.msg));
    const ip = normaliseIp(req.socket.remoteAddress ?? '');
    const admitted = ipLimiter.admit(ip, Date.now());
    if (admitted !== 'ok') return reject(socket, 429, STATUS_CODES[429] ?? '', fail(Errors.TOO_MANY_REQUESTS.code, `${Errors.TOO_MANY_REQUESTS.msg}: ${admitted}`));
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new Connection(ws, path, ip, { ring: opts.keyring, catalogue: opts.catalogue, registry, limits, onError, cod: opts.cod, snapshot: (c, uid, key) => dispatcher.snapshotTo(c, uid, key) });
      const index = accepted++;
      if (faults && faultCounters) conn.attachFaults((socket) => new ConnectionFaults(faults, index, socket, faultCounters, upgradeFrame));
      open.add(conn);
      ws.on('message', (data, isBinary) => conn.receive(isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString()));
      ws.on('error', () => undefined);
      ws.on('close', () => {
        open.delete(conn);
        conn.dispose();
        ipLimiter.release(ip);
      });
    });
  });

  const close = () => {
    dispatcher.stop();
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
  // before the HTTP server closes: it would otherwise wait for the upgraded sockets
  app.addHook('preClose', (done) => {
    close();
    done();
  });
  return {
    get connections() {
      return open.size;
    },
    get subscriptions() {
      return registry.size;
    },
    dispatcher,
    faults: faultCounters,
    terminateAll() {
      const n = open.size;
      for (const c of [...open]) c.cut();
      return n;
    },
    close,
  };
}
