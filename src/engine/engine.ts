/**
 * The engine: the one place where orders are placed, cancelled (by ids or by scope), filled
 * and queried. Dialect adapters build canonical commands, the engine applies the rules
 * (cancel.ts, place.ts, fill.ts) inside one store transaction per request.
 */
import { BitgetError, Errors, err } from '../domain/errors.js';
import type { CancelOutcome, CancelScope, Order } from '../domain/types.js';
import type { Catalogue } from '../markets/catalogue.js';
import type { DomainEvent } from '../events/types.js';
import type { OrderQuery, OrderStore } from '../store/types.js';
import { decideCancel, decideCancelScope, type CancelItem, type CancelTarget } from './cancel.js';
import { decideFill } from './fill.js';
import { IdGenerator } from './ids.js';
import { decidePlace, validatePlace, type PlaceCommand, type PlaceOutcome, type PreparedPlace } from './place.js';
import { POLICIES, type Dialect } from './policy.js';
import { CATEGORIES, type AccountMode } from '../domain/types.js';
import { isZero, neg } from '../domain/decimal.js';
import { depositEntries, transferEntries, type Balance, type LedgerEntry } from '../ledger/balances.js';
import { parseAccountName, accountId, type AccountKey } from '../ledger/accounts.js';
import { Book, isFuturesCategory, moneyRefs, orderMoney, settingsOf, uniqueRefs } from './money.js';
import { posModeKey, settingsKey, type AccountState, type BalanceRef, type StoredTrade, type SymbolRef, type TradeQuery } from '../store/types.js';
import { setLeverage, type HoldSide, type PosMode, type Position, type SymbolSettings } from '../ledger/positions.js';

/** Options of {@link Engine.cancelScope} (the kill switches' cancel-all, src/switches/). */
export interface CancelScopeOptions {
  /** The cancelled orders' `cancelReason` (default Bitget's `normal_cancel`); their events carry it. */
  cancelReason?: string;
  /** Events appended to the unit (e.g. the `switch` event), built from the outcomes: same commit. */
  events?: (result: CancelOutcome[]) => DomainEvent[];
}

/** Facade over store + catalogue; one per process. */
export class Engine {
  /**
   * UIDs whose placements are refused with 40022 (an ordergate panic with `block`; kept by
   * src/switches/service.ts from the store, refreshed by every sweep).
   */
  readonly blocked = new Set<string>();

  constructor(
    readonly store: OrderStore,
    readonly catalogue: Catalogue,
    private readonly ids: IdGenerator = new IdGenerator(0),
    private readonly clock: () => number = Date.now,
  ) {}

  /** The start balance's opening entries (app.ts sets it from ORDERGATE_START_BALANCE), for {@link Engine.reset}. */
  opening?: (uid: string, mode: AccountMode) => LedgerEntry[];

  /** Current time in ms (the engine's clock; injectable for tests). */
  now(): number {
    return this.clock();
  }

  /**
   * Places a batch (a single placement is a batch of one). Items that fail validation or
   * clientOid uniqueness fail alone; the rest are committed together.
   * @param items canonical commands, or a BitgetError for an item the adapter already rejected.
   */
  async place(dialect: Dialect, items: ReadonlyArray<PlaceCommand | { error: BitgetError; clientOid: string }>): Promise<PlaceOutcome[]> {
    const policy = POLICIES[dialect];
    const prepared: PreparedPlace[] = items.map((it) => {
      if ('error' in it) return it;
      try {
        validatePlace(it, this.catalogue, policy);
        return { cmd: it, orderId: this.ids.next() };
      } catch (e) {
        if (e instanceof BitgetError) return { error: e, clientOid: it.clientOid ?? '' };
        throw e;
      }
    });
    const uid = items.find((i): i is PlaceCommand => !('error' in i))?.uid;
    if (uid !== undefined && this.blocked.has(uid)) {
      const refused = items.map((it) => ({ error: err(Errors.PLACEMENT_BLOCKED), clientOid: it.clientOid ?? '' }));
      return decidePlace(refused, emptyLoaded, policy, String(this.now())).result;
    }
    if (uid === undefined) return decidePlace(prepared, emptyLoaded, policy, String(this.now())).result;
    const clientOids = prepared.flatMap((p) => ('cmd' in p && p.cmd.clientOid ? [p.cmd.clientOid] : []));
    // what the holds touch: each order's balance row, and for futures its settings and posMode
    const accountMode: AccountMode = dialect === 'uta' ? 'unified' : 'classic';
    const balances: BalanceRef[] = [];
    const symbols: SymbolRef[] = [];
    const posModes: { uid: string; productType: string }[] = [];
    for (const p of prepared) {
      if (!('cmd' in p)) continue;
      const market = this.catalogue.get(p.cmd.category, p.cmd.symbol);
      if (!market) continue;
      const refs = moneyRefs(p.cmd.uid, orderMoney(p.cmd, market, accountMode), p.cmd.category, p.cmd.symbol);
      balances.push(refs.balance);
      if (refs.symbol) symbols.push(refs.symbol);
      if (refs.posMode) posModes.push(refs.posMode);
    }
    const spec = { uid, clientOids, balances: uniqueRefs(balances), symbols: uniqueRefs(symbols), posModes: uniqueRefs(posModes) };
    const ctx = { catalogue: this.catalogue, accountMode };
    return this.store.execute(spec, (loaded) => decidePlace(prepared, loaded, policy, String(this.now()), ctx));
  }

  /** Cancels a batch of orders by id or clientOid; per-item outcomes in request order. */
  cancel(dialect: Dialect, target: CancelTarget, items: readonly CancelItem[]): Promise<CancelOutcome[]> {
    const orderIds: string[] = [];
    const clientOids: string[] = [];
    for (const { ref } of items) {
      if (ref.orderId) orderIds.push(ref.orderId);
      else if (ref.clientOid) clientOids.push(ref.clientOid);
    }
    return this.store.execute({ uid: target.uid, orderIds, clientOids, heldBalances: true }, (loaded) =>
      decideCancel(target, items, loaded, POLICIES[dialect], String(this.now())),
    );
  }

  /**
   * Cancels every open order in `scope` (cancel-all); one success per order cancelled. With
   * `opts` (kill switches): the orders carry `opts.cancelReason` (updates and their
   * `order.updated` events), and `opts.events` are committed in the same unit.
   */
  cancelScope(scope: CancelScope, opts?: CancelScopeOptions): Promise<CancelOutcome[]> {
    if (!opts) return this.store.execute({ uid: scope.uid, scope, heldBalances: true }, (loaded) => decideCancelScope(scope, loaded, String(this.now())));
    return this.store.execute({ uid: scope.uid, scope, heldBalances: true }, (loaded) => {
      const d = decideCancelScope(scope, loaded, String(this.now()));
      const reason = opts.cancelReason;
      if (reason !== undefined) {
        for (const u of d.writes.updates) u.cancelReason = reason;
        for (const e of d.writes.events ?? []) if (e.kind === 'order.updated' && e.change === 'cancel') e.order.cancelReason = reason;
      }
      if (opts.events) d.writes.events = [...(d.writes.events ?? []), ...opts.events(d.result)];
      return d;
    });
  }

  /**
   * Fills `size` (default: all that is left) of an open order at its price and settles it
   * (balances, position, fee, trade); returns the order after.
   * @throws BitgetError 43001 unknown order, 40769 finished, 40020 bad size.
   */
  async fill(orderId: string, size?: string): Promise<Order> {
    // the order's uid, account and symbol never change: read them first to know what to lock
    const first = await this.store.execute({ uid: null, orderIds: [orderId] }, (loaded) => ({ writes: { inserts: [], updates: [] }, result: loaded.byId.get(orderId) }));
    const market = first ? this.catalogue.get(first.category, first.symbol) : undefined;
    if (!first || !first.account || !market) {
      return this.store.execute({ uid: null, orderIds: [orderId] }, (loaded) => decideFill(orderId, size, loaded, String(this.now())));
    }
    const uid = first.uid;
    const account = first.account;
    const futures = isFuturesCategory(first.category);
    const coins = futures ? [first.holdCoin || first.marginCoin || market.quoteCoin] : [market.baseCoin, market.quoteCoin];
    const spec = {
      uid: null,
      orderIds: [orderId],
      balances: coins.map((coin) => ({ uid, account, coin })),
      ensureBalances: true,
      symbols: futures ? [{ uid, account, symbol: first.symbol }] : undefined,
      posModes: futures ? [{ uid, productType: first.category }] : undefined,
    };
    const tradeId = this.ids.next();
    return this.store.execute(spec, (loaded) => decideFill(orderId, size, loaded, String(this.now()), { market, tradeId }));
  }

  /**
   * Credits `amount` of `coin` to one of `uid`'s accounts (`ordergate deposit`, `POST /admin/deposit`).
   * @param accountName `spot|usdt-futures|coin-futures|usdc-futures|crossed|isolated:SYMBOL|unified`
   *   (default: `unified` for a unified UID, else `spot`)
   * @returns the balance after
   * @throws BitgetError 40020 (`Parameter account error`, `Parameter amount error`, or an
   *   unknown UID: `Parameter uid error`).
   */
  async deposit(uid: string, coin: string, amount: string, accountName?: string): Promise<Balance & { account: string; coin: string }> {
    const acc = await this.store.keys.getAccount(uid);
    if (!acc) throw err(Errors.PARAM_ERROR, 'uid');
    const c = coin.trim().toUpperCase();
    const key = parseAccountName(accountName ?? (acc.mode === 'unified' ? 'unified' : 'spot'), c);
    const account = accountId(key);
    const entries = depositEntries(uid, key, c, amount);
    return this.store.execute({ uid, balances: [{ uid, account, coin: c }], ensureBalances: true }, (loaded) => {
      const book = new Book(loaded.balances);
      book.apply(entries);
      const fin = book.finish();
      return { writes: { inserts: [], updates: [], events: fin.events, money: fin.money }, result: { ...book.get(uid, account, c), account, coin: c } };
    });
  }

  /**
   * Sets the leverage of (uid, account, symbol) (v2 `mix/account/set-leverage`, v3
   * `account/set-leverage`): crossed sets the cross leverage, isolated the side(s) named
   * (src/ledger/positions.ts setLeverage). Open orders keep the leverage they were placed at.
   * @throws BitgetError 40020 `Parameter leverage error` outside the market's [minLever, maxLever].
   */
  setLeverage(
    uid: string,
    account: string,
    market: { symbol: string; minLever: string; maxLever: string },
    req: { leverage?: string; longLeverage?: string; shortLeverage?: string; holdSide?: HoldSide },
  ): Promise<SymbolSettings> {
    return this.store.execute({ uid, symbols: [{ uid, account, symbol: market.symbol }] }, (loaded) => {
      const next = setLeverage(settingsOf(loaded, uid, account, market.symbol), req, market);
      return { writes: { inserts: [], updates: [], money: { entries: [], balances: new Map(), settings: new Map([[settingsKey(uid, account, market.symbol), next]]) } }, result: next };
    });
  }

  /** Sets the margin mode of (uid, account, symbol) (v2 `mix/account/set-margin-mode`); leverages are kept. */
  setMarginMode(uid: string, account: string, symbol: string, marginMode: 'crossed' | 'isolated'): Promise<SymbolSettings> {
    return this.store.execute({ uid, symbols: [{ uid, account, symbol }] }, (loaded) => {
      const next = { ...settingsOf(loaded, uid, account, symbol), marginMode };
      return { writes: { inserts: [], updates: [], money: { entries: [], balances: new Map(), settings: new Map([[settingsKey(uid, account, symbol), next]]) } }, result: next };
    });
  }

  /** Sets a UID's posMode for a productType (v2 `set-position-mode`, v3 `set-hold-mode` for every futures productType). */
  setPosMode(uid: string, productTypes: readonly string[], posMode: PosMode): Promise<PosMode> {
    return this.store.execute({ uid }, () => ({
      writes: { inserts: [], updates: [], money: { entries: [], balances: new Map(), posModes: new Map(productTypes.map((p) => [posModeKey(uid, p), posMode])) } },
      result: posMode,
    }));
  }

  /**
   * Moves `amount` of `coin` between two of a UID's accounts (`POST /api/v2/spot/wallet/transfer`):
   * `transfer_out` then `transfer_in`, one unit; returns a transfer id.
   * @throws BitgetError 40754 `balance not enough` beyond `from`'s available; 40020 bad amount or same account.
   */
  transfer(uid: string, from: AccountKey, to: AccountKey, coin: string, amount: string): Promise<string> {
    const entries = transferEntries(uid, from, to, coin, amount);
    const transferId = this.ids.next();
    const balances = entries.map((e) => ({ uid, account: e.account, coin }));
    return this.store.execute({ uid, balances, ensureBalances: true }, (loaded) => {
      const book = new Book(loaded.balances);
      book.apply(entries.map((e) => ({ ...e, orderId: transferId })));
      const fin = book.finish();
      return { writes: { inserts: [], updates: [], events: fin.events, money: fin.money }, result: transferId };
    });
  }

  /**
   * Puts a UID's money back to its start (`ordergate reset`, `POST /admin/reset`): cancels every
   * open order (releasing its hold), closes every position (its margin returns to available and
   * leaves with the rest), withdraws every balance and credits `opening` again (the start
   * balance). Order history and trades stay. Returns how many orders were cancelled.
   * @throws BitgetError 40020 `Parameter uid error` for an unknown UID.
   */
  async reset(uid: string, opening: (uid: string, mode: AccountMode) => LedgerEntry[] = this.opening ?? (() => [])): Promise<number> {
    const acc = await this.store.keys.getAccount(uid);
    if (!acc) throw err(Errors.PARAM_ERROR, 'uid');
    const cancelled = await this.cancelScope({ uid, categories: CATEGORIES });
    const st = await this.store.accountState(uid);
    const start = opening(uid, acc.mode);
    const balances = uniqueRefs([...st.balances.map((b) => ({ uid, account: b.account, coin: b.coin })), ...start.map((e) => ({ uid, account: e.account, coin: e.coin }))]);
    const symbols = uniqueRefs(st.positions.map((p) => ({ uid, account: p.account, symbol: p.symbol })));
    await this.store.execute({ uid, balances, ensureBalances: true, symbols }, (loaded) => {
      const book = new Book(loaded.balances);
      const positions = new Map<string, Position | null>();
      for (const [k, p] of loaded.positions ?? []) {
        positions.set(k, null);
        book.apply([{ uid, account: p.account, coin: p.marginCoin, reason: 'position_margin', available: p.margin, frozen: '0', orderId: '', tradeId: '' }]);
      }
      for (const r of balances) {
        const b = book.get(uid, r.account, r.coin);
        if (!isZero(b.frozen)) throw new Error(`reset: ${r.account} ${r.coin} still frozen ${b.frozen}`);
        if (!isZero(b.available)) book.apply([{ uid, account: r.account, coin: r.coin, reason: 'withdraw', available: neg(b.available), frozen: '0', orderId: '', tradeId: '' }]);
      }
      book.apply(start);
      const fin = book.finish({ positions });
      return { writes: { inserts: [], updates: [], events: fin.events, money: fin.money }, result: null };
    });
    return cancelled.length;
  }

  /** A UID's balances, positions, symbol settings and posModes (no lock). */
  accountState(uid: string): Promise<AccountState> {
    return this.store.accountState(uid);
  }

  /** A UID's trades (fills), newest first. */
  listTrades(q: TradeQuery): Promise<StoredTrade[]> {
    return this.store.listTrades(q);
  }

  /** One of `uid`'s orders by orderId (wins) or clientOid. */
  getOrder(uid: string, ref: { orderId?: string; clientOid?: string }): Promise<Order | undefined> {
    return this.store.getOrder(uid, ref);
  }

  /** Open orders or history, newest first. */
  listOrders(q: OrderQuery): Promise<Order[]> {
    return this.store.listOrders(q);
  }
}

const emptyLoaded = { byId: new Map(), byClientOid: new Map(), scoped: [] };
