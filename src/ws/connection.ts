/**
 * One WebSocket connection: its path, login state and subscriptions, and the strict
 * arrival-order processing of its frames (research-venue.md §1.3: bots send login and several
 * subscribes back-to-back; ccxt#25524).
 *
 * Every frame but `ping` goes through one promise chain, so a login (async: scrypt on a key's
 * first use) finishes before the subscribes sent right after it are looked at, and every answer
 * leaves in the order its request arrived. `ping` is answered with text `pong` at once, ahead of
 * any queued work (the bitget-api SDK reconnects when no frame arrives within 1 s of its ping).
 *
 * The ops a client may send are ONE table, {@link Connection}'s `ops`: adding an op (e.g. a
 * cancel-on-disconnect switch) is one entry there; an op not in it answers 30003.
 * Every frame the server sends goes through `send` (answers) or `push` (channel pushes), where
 * the TEST-ONLY WS faults (faults.ts) apply when ORDERGATE_FAULTS has `ws-*` entries.
 */
import type { WebSocket } from 'ws';
import type { KeyRing } from '../accounts/keyring.js';
import type { Catalogue } from '../markets/catalogue.js';
import { resolveArg, type Family } from './channels.js';
import { WsErrors, wsFail, type WsFailure } from './codes.js';
import { ConnectionFaults } from './faults.js';
import { LOGIN_OK, MAX_ARGS_BYTES, ackFrame, errorFrame, parseFrame, type ClientFrame } from './frames.js';
import { ConnectionLimiter, type WsLimits } from './limits.js';
import { verifyLogin } from './login.js';
import { LOGOUT_OK, codAckFrame, parseCodArg, type CodHooks } from './cod.js';
import type { Registry } from './registry.js';

/** Which endpoint a connection came in on. */
export interface WsPath {
  family: Family;
  /** /v2/ws/private or /v3/ws/private: login allowed. Public topics are accepted on both. */
  private: boolean;
}

/** What a connection needs from the server. */
export interface ConnectionDeps {
  ring: KeyRing;
  catalogue: Catalogue;
  registry: Registry<Connection>;
  limits: WsLimits;
  onError(e: unknown): void;
  /** Cancel-on-disconnect (ordergate's extension, src/ws/cod.ts); absent: the op answers 30003. */
  cod?: CodHooks;
  /**
   * Sends the snapshot of a snapshot channel (`account*`, `positions`, v3 `account`/`position`)
   * to `conn` after its subscribe ack (the dispatcher's per-UID queue, src/ws/dispatcher.ts).
   */
  snapshot?(conn: Connection, uid: string, key: string): void;
}

/**
 * One client op: gets the frame's `args` and the whole frame (top-level keys such as ccxt's
 * `url`/`uta` are there, to ignore or read). Answers through the connection's `send`.
 */
export type OpHandler = (args: unknown[], frame: Readonly<Record<string, unknown>>) => void | Promise<void>;

/** A connection whose unsent bytes exceed this is too slow to follow its pushes: closed. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** One client connection. */
export class Connection {
  /** The logged-in UID, or null before login. */
  uid: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  private dead = false;
  private readonly limiter: ConnectionLimiter;
  private idleTimer?: NodeJS.Timeout;
  private ageTimer?: NodeJS.Timeout;
  /** Closed by a `logout` op: cancel-on-disconnect does not fire. */
  private loggedOut = false;
  /** TEST-ONLY faults of this connection (undefined: none; see attachFaults). */
  private faults?: ConnectionFaults;

  /** The ops this connection serves, by name: the one place an op is added. Others: 30003. */
  private readonly ops: Readonly<Record<string, OpHandler>> = {
    login: (args) => this.login(args),
    subscribe: (args) => this.subscribe(args),
    unsubscribe: (args) => this.unsubscribe(args),
    // ordergate's own ops (src/ws/cod.ts): arm cancel-on-disconnect; a clean logout never fires it
    'cancel-on-disconnect': (args) => this.cancelOnDisconnect(args),
    logout: () => this.logout(),
  };
  private readonly isOp = (op: string): boolean => Object.hasOwn(this.ops, op);

  constructor(
    private readonly ws: WebSocket,
    readonly path: WsPath,
    readonly ip: string,
    private readonly deps: ConnectionDeps,
  ) {
    this.limiter = new ConnectionLimiter(deps.limits);
    const { idleMs, maxAgeMs } = deps.limits;
    if (idleMs > 0) this.idleTimer = setTimeout(() => this.close(1000, 'no ping within the idle limit'), idleMs).unref();
    if (maxAgeMs > 0) this.ageTimer = setTimeout(() => this.close(1000, 'forced disconnect: reconnect'), maxAgeMs).unref();
  }

  /**
   * Puts TEST-ONLY faults between this connection and its socket (server.ts, when
   * ORDERGATE_FAULTS has `ws-*` entries). `make` receives the raw socket operations.
   */
  attachFaults(make: (socket: { write(text: string): void; cut(): void; close(code: number, reason: string): void }) => ConnectionFaults): void {
    this.faults = make({ write: (t) => this.write(t), cut: () => this.cut(), close: (c, r) => this.close(c, r) });
  }

  /** Sends an answer frame (faults apply: delay). */
  send(text: string): void {
    if (this.faults) this.faults.send(text, false);
    else this.write(text);
  }

  /** Sends a channel push (faults apply: cut, delay, duplicate). */
  push(text: string): void {
    if (this.faults) this.faults.send(text, true);
    else this.write(text);
  }

  /** Writes a text frame unless the socket is gone; closes a consumer too slow to keep up. */
  private write(text: string): void {
    if (this.dead || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(1008, 'too slow to receive pushes');
      return;
    }
    this.ws.send(text);
  }

  /** Closes the connection (no more frames are processed). */
  close(code = 1000, reason = ''): void {
    this.dead = true;
    this.deps.registry.removeAll(this); // at once: a closing connection holds no subscription
    this.ws.close(code, reason);
  }

  /** Cuts the TCP connection without a close frame (the client sees 1006). */
  cut(): void {
    this.dead = true;
    this.deps.registry.removeAll(this);
    this.ws.terminate();
  }

  /** Called once the socket closed: drops subscriptions and timers. */
  dispose(): void {
    this.dead = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.ageTimer) clearTimeout(this.ageTimer);
    this.faults?.dispose();
    this.deps.registry.removeAll(this);
    if (this.uid !== null && this.deps.cod) this.deps.cod.codClosed(this.uid, this, this.loggedOut).catch((e) => this.deps.onError(e));
  }

  /** Handles one incoming text frame (see the module header for ordering). */
  receive(text: string): void {
    if (this.dead) return;
    const verdict = this.limiter.message(Date.now());
    if (verdict === 'close') {
      this.send(errorFrame(wsFail(WsErrors.OVER_LIMIT_CLOSE)));
      this.close(1008, 'request over limit');
      return;
    }
    if (verdict === 'drop') {
      this.send(errorFrame(wsFail(WsErrors.TOO_MANY_REQUESTS)));
      return;
    }
    const frame = parseFrame(text, this.isOp);
    if (frame.kind === 'ping') {
      this.idleTimer?.refresh();
      this.write('pong'); // never delayed, even by the faults
      return;
    }
    this.chain = this.chain.then(() => (this.dead ? undefined : this.handle(frame))).catch((e) => this.deps.onError(e));
  }

  private async handle(frame: Exclude<ClientFrame, { kind: 'ping' }>): Promise<void> {
    if (frame.kind === 'bad') return this.fail(frame.failure);
    return this.ops[frame.op](frame.args, frame.frame);
  }

  private fail(f: WsFailure, arg?: unknown): void {
    this.send(errorFrame(f, arg));
  }

  private async login(args: unknown[]): Promise<void> {
    if (!this.path.private) return this.fail(wsFail(WsErrors.INVALID_OP, 'INVALID op:login'));
    const mode = this.path.family === 'v2' ? 'classic' : 'unified';
    const r = await verifyLogin(args, this.deps.ring, { mode, ip: this.ip, now: Date.now() });
    if (!r.ok) {
      // Bitget: "If login fails, it will automatically disconnect"
      this.fail(r.failure);
      this.close(1000, 'login failed');
      return;
    }
    if (this.uid !== null && this.uid !== r.key.uid) {
      this.deps.registry.removeAll(this);
      await this.deps.cod?.codClosed(this.uid, this, true); // another UID now: the old one's arm ends cleanly
    }
    this.uid = r.key.uid;
    this.send(LOGIN_OK);
    await this.deps.cod?.codLogin(this.uid, this);
  }

  /** ordergate's cancel-on-disconnect op (src/ws/cod.ts). */
  private async cancelOnDisconnect(args: unknown[]): Promise<void> {
    const cod = this.deps.cod;
    if (!this.path.private || !cod) return this.fail(wsFail(WsErrors.INVALID_OP, 'INVALID op:cancel-on-disconnect'));
    if (this.uid === null) return this.fail(wsFail(WsErrors.NOT_LOGGED_IN));
    const arg = parseCodArg(args);
    if ('code' in arg) return this.fail(arg);
    if (arg.enable) await cod.codArm(this.uid, this, arg.scope, arg.windowMs);
    else await cod.codDisable(this.uid, this);
    this.send(codAckFrame(arg));
  }

  /** ordergate's clean logout: answered, then closed; cancel-on-disconnect does not fire. */
  private logout(): void {
    if (!this.path.private) return this.fail(wsFail(WsErrors.INVALID_OP, 'INVALID op:logout'));
    this.loggedOut = true;
    this.send(LOGOUT_OK);
    this.close(1000, 'logout');
  }

  private subscribe(args: unknown[]): void {
    if (Buffer.byteLength(JSON.stringify(args)) > MAX_ARGS_BYTES) return this.fail(wsFail(WsErrors.PARAM_ERROR, `Param error: args exceed ${MAX_ARGS_BYTES} bytes`));
    if (!this.limiter.subscribe(Date.now())) return this.fail(wsFail(WsErrors.TOO_MANY_REQUESTS, 'request too many: subscribe requests per hour'));
    const { registry, limits, catalogue } = this.deps;
    for (const arg of args) {
      const r = resolveArg(this.path.family, arg, catalogue);
      if (r.private && this.uid === null) {
        this.fail(wsFail(WsErrors.NOT_LOGGED_IN), arg);
        continue;
      }
      if (r.kind !== 'served') {
        this.fail(r.failure, arg);
        continue;
      }
      const key = `${this.uid}|${r.channel.key}`;
      if (!registry.has(this, key) && limits.enforce && registry.count(this) >= limits.channelsPerConnection) {
        this.fail(wsFail(WsErrors.TOO_MANY_REQUESTS, `request too many: more than ${limits.channelsPerConnection} channels`), arg);
        continue;
      }
      registry.add(this, key);
      this.send(ackFrame('subscribe', arg));
      // Bitget pushes account / positions snapshots on subscribe (research-venue.md §1.5-1.6)
      if (r.channel.snapshot) this.deps.snapshot?.(this, this.uid as string, r.channel.key);
    }
  }

  private unsubscribe(args: unknown[]): void {
    for (const arg of args) {
      const r = resolveArg(this.path.family, arg, this.deps.catalogue);
      if (r.kind === 'error') {
        this.fail(r.failure, arg);
        continue;
      }
      if (r.kind === 'served' && this.uid !== null) this.deps.registry.remove(this, `${this.uid}|${r.channel.key}`);
      this.send(ackFrame('unsubscribe', arg));
    }
  }
}
