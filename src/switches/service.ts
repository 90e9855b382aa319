/**
 * Kill switches (issue 13; research-venue.md §2): what arms, disarms and fires them, once for
 * every way in (Bitget's countdown endpoint, ordergate's extension endpoints, the private
 * WebSocket's cancel-on-disconnect op, the sweeper job, the CLI).
 *
 * Deadlines live in the store (`switches` table, SwitchStore in src/store/types.ts), never in a
 * timer of one process: the sweeper (src/jobs/switch-sweeper.ts) of every instance claims due
 * switches with one conditional UPDATE and fires each claimed one:
 *   1. claim (`claimDue`: `claimedAt` stamped; PostgreSQL `FOR UPDATE SKIP LOCKED`) — exactly one
 *      instance wins;
 *   2. one cancel-all unit through the engine (`Engine.cancelScope`) with the switch's
 *      `cancelReason`, the `switch` event committed in the SAME unit;
 *   3. `finish`: disarmed if the generation is still the claimed one (Bitget: the switch turns
 *      itself off after firing); a re-arm (or disarm) that raced the fire bumped the generation,
 *      so the fire went ahead and the newer arm stands (logged).
 * An instance dying between 1 and 3 leaves a claim that another sweep takes over once it is
 * older than `claimStaleMs` (the cancel-all is idempotent: cancelled orders stay cancelled).
 */
import { CATEGORIES, type CancelScope, type Category } from '../domain/types.js';
import type { Engine } from '../engine/engine.js';
import type { SwitchEvent, SwitchEventData } from '../events/types.js';
import type { SwitchFire, SwitchKind, SwitchRecord, SwitchStore } from '../store/types.js';

/** The `cancelReason` each kind of switch gives the orders it cancels (ordergate's values; Bitget documents none). */
export const CANCEL_REASONS: Readonly<Record<SwitchKind, string>> = {
  countdown: 'countdown_cancel_all',
  disconnect: 'cancel_on_disconnect',
  panic: 'panic_cancel_all',
};

/** The scope key of "every order of the UID" (Bitget's countdown, cancel-on-disconnect, panic). */
export const WHOLE_UID = '*:*';

/** Most orderIds a fire records and puts in its event (the cancelled orders' own events carry every one). */
export const FIRE_IDS_MAX = 100;

/** Bitget's countdown range, seconds (DOC uta/trade/CountDown-Cancel-All.md): 5..60, "0" disarms. */
export const BITGET_COUNTDOWN = { min: 5, max: 60 } as const;

/** The extension's countdown range, seconds: 1..86400 (Kraken's cap), "0" disarms. */
export const EXTENSION_COUNTDOWN = { min: 1, max: 86_400 } as const;

/** Cancel-on-disconnect grace window range, seconds (Bybit DCP's 300 s cap; 0 = at the next sweep). Default 10 (Bybit's). */
export const COD_WINDOW = { min: 0, max: 300, dflt: 10 } as const;

/** `category:symbol` with `*` for "every". */
export function scopeKeyOf(category?: string | null, symbol?: string | null): string {
  return `${category ?? '*'}:${symbol ?? '*'}`;
}

/** A switch as the extension API and the CLI show it (times ms strings, Bitget style). */
export interface SwitchState {
  uid: string;
  kind: SwitchKind;
  scopeKey: string;
  category: string | null;
  symbol: string | null;
  /** A deadline is pending (disconnect: the last armed connection closed and the window runs). */
  armed: boolean;
  /** ms, while armed. */
  deadline: string | null;
  /** Countdown length / grace window, seconds. */
  window: string;
  generation: string;
  /** panic: placements refused (40022) until unblocked. */
  blocked: boolean;
  /** disconnect: `connection` | `account` (the last op's scope), null when disabled. */
  codScope: 'connection' | 'account' | null;
  /** disconnect: connections armed on THIS instance. */
  armedConnections?: number;
  lastFire: null | { at: string; cancelReason: string; cancelled: string; orderIds: string[]; deadline: string | null };
  updatedAt: string;
}

/** Renders a record for the API / CLI. */
export function renderSwitch(r: SwitchRecord, armedConnections?: number): SwitchState {
  const f = r.lastFire;
  return {
    uid: r.uid,
    kind: r.kind,
    scopeKey: r.scopeKey,
    category: r.category,
    symbol: r.symbol,
    armed: r.armed,
    deadline: r.deadline === null ? null : String(r.deadline),
    window: String(r.windowMs / 1000),
    generation: String(r.generation),
    blocked: r.blocked,
    codScope: r.codScope,
    ...(armedConnections !== undefined ? { armedConnections } : {}),
    lastFire: f && {
      at: String(f.at),
      cancelReason: f.cancelReason,
      cancelled: String(f.cancelled),
      orderIds: f.orderIds,
      deadline: f.deadline === null ? null : String(f.deadline),
    },
    updatedAt: String(r.updatedAt),
  };
}

/** What a panic did. */
export interface PanicResult {
  cancelled: number;
  orderIds: string[];
  blocked: boolean;
}

/** Options of {@link SwitchService}. */
export interface SwitchServiceOptions {
  /** A claim older than this (ms) is taken over (default 30000; Config.switchClaimStaleMs). */
  claimStaleMs?: number;
  /** Switches fired per sweep at most (default 100). */
  claimLimit?: number;
  /**
   * Cancel-on-disconnect lease, ms (default 2000; Config.switchCodLeaseMs): while a UID has an
   * armed connection on this instance, its switch's deadline is kept at now + lease + window,
   * renewed every lease / 4; if this instance dies, it fires lease + window after the last renewal.
   */
  codLeaseMs?: number;
  log?: (level: 'info' | 'warn', msg: string) => void;
}

/** An armed WebSocket connection's settings (cancel-on-disconnect). */
interface CodArm {
  scope: 'connection' | 'account';
  windowMs: number;
}

/** The kill switches of one process (one per app; the store is shared by every instance). */
export class SwitchService {
  private readonly store: SwitchStore;
  private readonly claimStaleMs: number;
  private readonly claimLimit: number;
  private readonly log: NonNullable<SwitchServiceOptions['log']>;
  /** Cancel-on-disconnect: per UID, this instance's armed connections. */
  private readonly cod = new Map<string, Map<object, CodArm>>();
  private stopping = false;
  private readonly codLeaseMs: number;
  private lastRenew = 0;
  /** Panic/unblock writes of this process: bumped before and after each, counted while in flight. */
  private localWrites = 0;
  private localInFlight = 0;

  constructor(
    private readonly engine: Engine,
    opts: SwitchServiceOptions = {},
  ) {
    this.store = engine.store.switches;
    this.claimStaleMs = opts.claimStaleMs ?? 30_000;
    this.claimLimit = opts.claimLimit ?? 100;
    this.codLeaseMs = opts.codLeaseMs ?? 2_000;
    this.log = opts.log ?? (() => undefined);
  }

  /** The engine's clock, ms. */
  now(): number {
    return this.engine.now();
  }

  /**
   * Arms (seconds > 0) or disarms (0) the countdown of `uid` on a scope (`*:*` = every order,
   * Bitget's). Each call re-arms: the deadline becomes now + seconds.
   * @returns the switch after (undefined: disarming a switch that never existed).
   */
  async countdown(uid: string, seconds: number, scope: { category?: Category; symbol?: string } = {}): Promise<SwitchRecord | undefined> {
    const now = this.now();
    const scopeKey = scopeKeyOf(scope.category, scope.symbol);
    if (seconds === 0) return this.store.disarm(uid, 'countdown', scopeKey, now);
    return this.store.arm({
      uid,
      kind: 'countdown',
      scopeKey,
      category: scope.category ?? null,
      symbol: scope.symbol ?? null,
      windowMs: seconds * 1000,
      deadline: now + seconds * 1000,
      now,
    });
  }

  /**
   * Panic: cancels every open order of `uid` in every category in ONE unit (reason
   * `panic_cancel_all`, a `switch` event in the same commit) and, with `block`, refuses the
   * UID's placements (40022) until {@link SwitchService.unblock}. The block is written first,
   * so no placement on this instance slips in between the cancel-all and the block.
   */
  async panic(uid: string, block: boolean): Promise<PanicResult> {
    return this.localWrite(async () => {
      if (block) {
        this.engine.blocked.add(uid);
        await this.store.setBlocked(uid, true, this.now());
      }
      const fire = await this.cancelAll(uid, 'panic', WHOLE_UID, null, 0, { blocked: block });
      const rec = await this.store.setBlocked(uid, block || this.engine.blocked.has(uid), fire.at, fire);
      return { cancelled: fire.cancelled, orderIds: fire.orderIds, blocked: rec.blocked };
    });
  }

  /** Lets `uid` place orders again after a blocking panic. */
  async unblock(uid: string): Promise<SwitchRecord> {
    return this.localWrite(async () => {
      this.engine.blocked.delete(uid);
      return this.store.setBlocked(uid, false, this.now());
    });
  }

  /** Runs a block change of this process so that a concurrent {@link refreshBlocked} never undoes it with an older read. */
  private async localWrite<T>(fn: () => Promise<T>): Promise<T> {
    this.localWrites++;
    this.localInFlight++;
    try {
      return await fn();
    } finally {
      this.localInFlight--;
      this.localWrites++;
    }
  }

  /** Every switch of `uid` (every UID when undefined), for the API and the CLI. */
  async state(uid?: string): Promise<SwitchState[]> {
    const rows = await this.store.list(uid);
    return rows.map((r) => renderSwitch(r, r.kind === 'disconnect' ? (this.cod.get(r.uid)?.size ?? 0) : undefined));
  }

  /** Reloads the blocked UIDs from the store (another instance may have blocked or unblocked one). */
  async refreshBlocked(): Promise<void> {
    const seen = this.localWrites;
    const uids = new Set(await this.store.blockedUids());
    // a panic or unblock of this process ran meanwhile: this read may predate it; the next sweep reads again
    if (seen !== this.localWrites || this.localInFlight > 0) return;
    const blocked = this.engine.blocked;
    for (const u of blocked) if (!uids.has(u)) blocked.delete(u);
    for (const u of uids) blocked.add(u);
  }

  /**
   * One sweep: claims the due switches and fires each (see the module header).
   * @returns how many fired.
   */
  async sweep(): Promise<number> {
    const now = this.now();
    const due = await this.store.claimDue(now, now - this.claimStaleMs, this.claimLimit);
    let fired = 0;
    for (const rec of due) {
      try {
        await this.fire(rec);
        fired++;
      } catch (e) {
        // the claim stays: another sweep takes it over once it is stale
        this.log('warn', `kill switch ${rec.uid} ${rec.kind} ${rec.scopeKey}: fire failed, retried after ${this.claimStaleMs} ms: ${(e as Error).message}`);
      }
    }
    return fired;
  }

  /** Fires a claimed switch: one cancel-all unit with its reason and event, then records it. */
  private async fire(rec: SwitchRecord): Promise<void> {
    const fire = await this.cancelAll(rec.uid, rec.kind, rec.scopeKey, rec.deadline, rec.generation, {}, rec.category, rec.symbol);
    const late = fire.at - (rec.deadline ?? fire.at);
    const outcome = await this.store.finish(rec.uid, rec.kind, rec.scopeKey, rec.generation, fire);
    this.log(
      'info',
      `kill switch fired: uid ${rec.uid} ${rec.kind} ${rec.scopeKey}, ${fire.cancelled} order(s) cancelled (${fire.cancelReason}), ${late} ms after the deadline` +
        (outcome === 'superseded' ? '; a re-arm or disarm raced the fire: the fire went ahead and the newer arm stands' : ''),
    );
  }

  /** One cancel-all unit of `uid` on a scope, with `reason` and the `switch` event committed in it. */
  private async cancelAll(
    uid: string,
    kind: SwitchKind,
    scopeKey: string,
    deadline: number | null,
    generation: number,
    extra: Partial<SwitchEventData>,
    category: string | null = null,
    symbol: string | null = null,
  ): Promise<SwitchFire> {
    const cancelReason = CANCEL_REASONS[kind];
    const scope: CancelScope = { uid, categories: category ? [category as Category] : CATEGORIES, ...(symbol ? { symbol } : {}) };
    let fire: SwitchFire | undefined;
    await this.engine.cancelScope(scope, {
      cancelReason,
      events: (result) => {
        const ids = result.filter((r) => r.ok).map((r) => r.orderId);
        fire = { at: this.now(), cancelReason, cancelled: ids.length, orderIds: ids.slice(0, FIRE_IDS_MAX), deadline, generation };
        const data: SwitchEventData = { uid, switch: kind, scopeKey, cancelReason, deadline, generation, cancelled: ids.length, orderIds: fire.orderIds, ...extra };
        const event: SwitchEvent = { kind: 'switch', data: data as SwitchEvent['data'] };
        return [event];
      },
    });
    return fire as SwitchFire;
  }

  // ---- cancel-on-disconnect (the private WebSocket's op; src/ws/cod.ts) ----------------

  /**
   * Arms cancel-on-disconnect for connection `conn` of `uid`: it counts as an armed connection
   * of the UID on this instance, and a pending fire of the UID (its last armed connection
   * closed less than the window ago) is cancelled. `account` scope is remembered in the store:
   * every later private login of the UID (any instance) starts armed.
   */
  async codArm(uid: string, conn: object, scope: 'connection' | 'account', windowMs: number): Promise<void> {
    let conns = this.cod.get(uid);
    if (!conns) this.cod.set(uid, (conns = new Map()));
    const firstHere = conns.size === 0;
    conns.set(conn, { scope, windowMs });
    const now = this.now();
    const before = firstHere ? await this.store.get(uid, 'disconnect', WHOLE_UID) : undefined;
    // armed with a lease (renewed by renewDisconnects while the connection lives); a re-arm
    // bumps the generation, so a pending fire (a lost connection's window) is cancelled
    await this.store.arm({ uid, kind: 'disconnect', scopeKey: WHOLE_UID, category: null, symbol: null, windowMs, deadline: now + this.codLeaseMs + windowMs, codScope: scope, now });
    if (before?.armed) this.log('info', `cancel-on-disconnect: uid ${uid} armed again while a deadline was pending: the pending fire is cancelled`);
  }

  /** Disables cancel-on-disconnect for `conn`, the UID's `account` scope and any pending fire of the UID. */
  async codDisable(uid: string, conn: object): Promise<void> {
    const conns = this.cod.get(uid);
    conns?.delete(conn);
    if (conns && conns.size === 0) this.cod.delete(uid);
    const rec = await this.store.get(uid, 'disconnect', WHOLE_UID);
    if (!rec) return;
    await this.store.arm({ uid, kind: 'disconnect', scopeKey: WHOLE_UID, category: null, symbol: null, windowMs: rec.windowMs, deadline: null, codScope: null, now: this.now() });
  }

  /** A private login of `uid` on `conn`: with the UID's `account` scope on, the connection starts armed. @returns whether it did. */
  async codLogin(uid: string, conn: object): Promise<boolean> {
    const rec = await this.store.get(uid, 'disconnect', WHOLE_UID);
    if (rec?.codScope !== 'account') return false;
    await this.codArm(uid, conn, 'account', rec.windowMs);
    return true;
  }

  /**
   * Connection `conn` of `uid` closed. `clean`: after a logout op (never fires). Otherwise, if it
   * was the UID's last armed connection on this instance, the fire is scheduled at now + window
   * in the store (the sweeper of any instance fires it unless a re-arm comes first).
   */
  async codClosed(uid: string, conn: object, clean: boolean): Promise<void> {
    const conns = this.cod.get(uid);
    const arm = conns?.get(conn);
    if (!conns || !arm) return;
    conns.delete(conn);
    if (conns.size > 0) return;
    this.cod.delete(uid);
    if (this.stopping) return;
    // clean: no fire (an armed connection on another instance renews it again within lease / 4)
    if (clean) await this.store.disarm(uid, 'disconnect', WHOLE_UID, this.now());
    else await this.scheduleDisconnect(uid, arm);
  }

  /**
   * Renews the lease of every UID with an armed connection here (at most every lease / 4; the
   * sweeper calls it each round). See {@link SwitchServiceOptions.codLeaseMs}.
   */
  async renewDisconnects(): Promise<void> {
    const now = this.now();
    if (this.cod.size === 0 || now - this.lastRenew < this.codLeaseMs / 4) return;
    this.lastRenew = now;
    await this.store.renewDisconnect([...this.cod.keys()], now, this.codLeaseMs);
  }

  private async scheduleDisconnect(uid: string, arm: CodArm): Promise<void> {
    const now = this.now();
    await this.store.arm({ uid, kind: 'disconnect', scopeKey: WHOLE_UID, category: null, symbol: null, windowMs: arm.windowMs, deadline: now + arm.windowMs, codScope: arm.scope, now });
    this.log('info', `cancel-on-disconnect: uid ${uid}'s last armed connection closed; its orders are cancelled at ${now + arm.windowMs} unless it re-arms`);
  }

  /**
   * The server is shutting down: every armed connection here is about to be cut, which is a
   * disconnect for its client; schedules their fires now (while the store is open) and ignores
   * the closes that follow.
   */
  async shutdown(): Promise<void> {
    this.stopping = true;
    const pending = [...this.cod.entries()];
    this.cod.clear();
    for (const [uid, conns] of pending) {
      const arm = [...conns.values()][0];
      if (arm) await this.scheduleDisconnect(uid, arm).catch((e) => this.log('warn', `cancel-on-disconnect at shutdown: ${(e as Error).message}`));
    }
  }
}
