/**
 * The store contract. A store only reads, locks and writes; every rule (what may be
 * cancelled, which failure code, clientOid uniqueness…) lives once, in the engine, as a pure
 * `decide` function that the store runs inside ONE transaction between loading and writing.
 *
 * Implementations: `sqlite/` (embedded default, group commit, `:memory:` allowed) and
 * `postgres/` (shared by many server instances).
 */
import type { AccountMode, CancelScope, Category, MarginMode, Order, OrderStatus } from '../domain/types.js';
import type { DomainEvent, EventBus } from '../events/types.js';
import type { Balance, LedgerEntry } from '../ledger/balances.js';
import type { PosMode, Position, SymbolSettings } from '../ledger/positions.js';
import type { TradeRecord } from '../ledger/settle.js';

/** One balance row: (uid, account, coin) and its amounts (decimal strings). */
export interface BalanceRow extends Balance {
  uid: string;
  account: string;
  coin: string;
}

/** Names one balance row to load (and lock). */
export interface BalanceRef {
  uid: string;
  account: string;
  coin: string;
}

/** Names one (uid, account, symbol): its positions (both sides) and its symbol settings. */
export interface SymbolRef {
  uid: string;
  account: string;
  symbol: string;
}

/** A trade as stored: the ledger's record and when it happened (ms string). */
export interface StoredTrade extends TradeRecord {
  cTime: string;
}

/** Key of {@link Loaded.settings}: `uid|account|symbol`. */
export const settingsKey = (uid: string, account: string, symbol: string): string => `${uid}|${account}|${symbol}`;

/** Key of {@link Loaded.posModes}: `uid|productType`. */
export const posModeKey = (uid: string, productType: string): string => `${uid}|${productType}`;

/** What one unit of work wants loaded (and locked) before it decides. */
export interface LoadSpec {
  /** Owner of the orders; `null` only for admin work (fills) that addresses orders by id. */
  uid: string | null;
  /** Orders to load by id (only this UID's are returned). */
  orderIds?: readonly string[];
  /** Orders to load by clientOid: per clientOid the open one, else the newest closed one (engine/scope.ts CLIENT_OID_ORDER). */
  clientOids?: readonly string[];
  /** Every open order in this scope (engine/scope.ts `scopeSelection`). */
  scope?: CancelScope;
  /**
   * Balance rows to load and lock (PostgreSQL `FOR UPDATE`, after the orders, sorted by key).
   * A row that does not exist loads as zero.
   */
  balances?: readonly BalanceRef[];
  /**
   * PostgreSQL: create the rows of {@link LoadSpec.balances} (zero) before locking them, so a
   * unit that credits a coin the UID never held still serialises with another doing the same
   * (fills, deposits). Placements need not: a hold only succeeds on a row that exists.
   */
  ensureBalances?: boolean;
  /**
   * Also load (and lock) the balance rows held by the loaded open orders (their uid, account,
   * holdCoin): the cancel path. One statement for the whole unit, never one per order.
   */
  heldBalances?: boolean;
  /** Positions (both sides) and symbol settings to load and lock. */
  symbols?: readonly SymbolRef[];
  /** posMode rows to load: `{uid, productType}`. */
  posModes?: readonly { uid: string; productType: string }[];
}

/** What the store loaded for a {@link LoadSpec}. */
export interface Loaded {
  byId: ReadonlyMap<string, Order>;
  byClientOid: ReadonlyMap<string, Order>;
  /** Open orders of the scope, oldest first. */
  scoped: readonly Order[];
  /** Balances loaded by balanceKey `uid|account|coin` (src/ledger/balances.ts); a missing key is zero. Absent when none was asked for. */
  balances?: ReadonlyMap<string, Balance>;
  /** Positions by positionKey `uid|account|symbol|holdSide` (src/ledger/positions.ts). */
  positions?: ReadonlyMap<string, Position>;
  /** Symbol settings by {@link settingsKey}; a missing key is the default (crossed, 20x). */
  settings?: ReadonlyMap<string, SymbolSettings>;
  /** posMode by {@link posModeKey}; missing = `one_way_mode`. */
  posModes?: ReadonlyMap<string, PosMode>;
}

/** The money a unit writes, in the same transaction as its order changes (issue 10). */
export interface MoneyWrites {
  /** Ledger entries (bills), in the order they apply. */
  entries: LedgerEntry[];
  /** The new values of every balance the entries changed, by balanceKey. */
  balances: ReadonlyMap<string, Balance>;
  /** Changed positions by positionKey; null = now flat (deleted). */
  positions?: ReadonlyMap<string, Position | null>;
  trades?: StoredTrade[];
  /** New symbol settings by {@link settingsKey}. */
  settings?: ReadonlyMap<string, SymbolSettings>;
  /** New posModes by {@link posModeKey}. */
  posModes?: ReadonlyMap<string, PosMode>;
}

/** A change to an existing order. */
export interface OrderUpdate {
  orderId: string;
  status: OrderStatus;
  filledSize: string;
  filledQuote: string;
  uTime: string;
  cancelReason: string;
  /** The order's remaining hold after the change (a cancel: '0'); absent = unchanged. */
  held?: string;
  /** Fees paid so far after the change; absent = unchanged. */
  fee?: string;
  /** The fee's coin after the change; absent = unchanged. */
  feeCoin?: string;
}

/** What a decision writes. */
export interface Writes {
  inserts: Order[];
  updates: OrderUpdate[];
  /**
   * The unit's domain events, in the order they happened (the engine's decide functions always
   * set them: `order.created` per insert, `order.updated` per update). The store commits them
   * in the same transaction as the change (the outbox) under the next sequence numbers and
   * publishes them after the commit. Absent or empty: the unit adds nothing to the stream.
   */
  events?: DomainEvent[];
  /** Balances, entries, positions, trades, settings the unit changes (absent: none). */
  money?: MoneyWrites;
}

/** A pure, synchronous decision over loaded orders: the writes to make and the caller's result. */
export type Decide<R> = (loaded: Loaded) => { writes: Writes; result: R };

/**
 * Filters of an order list query (open orders or history). Times in ms. Every filter applies
 * before `limit`; what it selects and in which order is defined once in src/engine/scope.ts
 * (`querySelection`).
 */
export interface OrderQuery {
  uid: string;
  categories: readonly Category[];
  /** Open orders (`live`, `partially_filled`) or finished ones (history). */
  open: boolean;
  symbol?: string;
  marginMode?: MarginMode;
  /** Only these statuses (e.g. mix `status=partially_filled`); absent = any. */
  statuses?: readonly OrderStatus[];
  /** Only orders with orderId strictly below this (pagination, newest first). */
  idLessThan?: string;
  startTime?: number;
  endTime?: number;
  /** 1..100 */
  limit: number;
}

/** An account: a UID and its mode. */
export interface Account {
  uid: string;
  mode: AccountMode;
  createdAt: number;
}

/** An API key as stored: the secret encrypted, the passphrase hashed. */
export interface ApiKeyRecord {
  apiKey: string;
  uid: string;
  permission: 'read' | 'trade';
  /** Whitelisted IPs; empty = any. */
  ips: string[];
  /** AES-256-GCM ciphertext of the secret (see accounts/crypto.ts). */
  secretEnc: string;
  /** scrypt hash of the passphrase. */
  passphraseHash: string;
  label: string;
  createdAt: number;
  revokedAt: number | null;
}

/**
 * The opening entries of a new account (the start balance, `ORDERGATE_START_BALANCE`): called by
 * {@link KeyStore.ensureAccount} when it creates the account, and written in the same transaction.
 */
export type OpeningEntries = (uid: string, mode: AccountMode) => LedgerEntry[];

/** A UID's money as the balance and position endpoints read it. */
export interface AccountState {
  balances: BalanceRow[];
  positions: Position[];
  /** By `account|symbol`. */
  settings: Map<string, SymbolSettings>;
  /** By productType. */
  posModes: Map<string, PosMode>;
}

/** Filters of a trade (fill) list: newest first. */
export interface TradeQuery {
  uid: string;
  categories: readonly string[];
  symbol?: string;
  orderId?: string;
  /** Only tradeIds strictly below this (pagination). */
  idLessThan?: string;
  startTime?: number;
  endTime?: number;
  limit: number;
}

/** Accounts and keys. */
export interface KeyStore {
  /**
   * Creates the account if missing, crediting the store's opening entries (start balance) in the
   * same transaction; throws if it exists with another mode.
   */
  ensureAccount(uid: string, mode: AccountMode): Promise<Account>;
  getAccount(uid: string): Promise<Account | undefined>;
  /** Every account, oldest first: by createdAt, then uid. */
  listAccounts(): Promise<Account[]>;
  insertKey(rec: ApiKeyRecord): Promise<void>;
  /** Every key (revoked too), by createdAt, then apiKey. */
  listKeys(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked; false when no such active key. */
  revokeKey(apiKey: string, now: number): Promise<boolean>;
  /** A number that changes whenever keys or accounts change (for cheap polling). */
  keysVersion(): Promise<number>;
}

/** The order store. */
export interface OrderStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly keys: KeyStore;
  /**
   * Loads `spec` (locking the rows), runs `decide`, applies its writes and commits durably
   * (synced to disk) before resolving. Rejects, writing nothing, if `decide` throws.
   */
  execute<R>(spec: LoadSpec, decide: Decide<R>): Promise<R>;
  /** One order of `uid` by id, or by clientOid (open first, else newest: engine/scope.ts CLIENT_OID_ORDER). */
  getOrder(uid: string, ref: { orderId?: string; clientOid?: string }): Promise<Order | undefined>;
  /** Orders newest first, at most `q.limit` (engine/scope.ts `querySelection`). */
  listOrders(q: OrderQuery): Promise<Order[]>;
  /** Sets the start balance credited to every account {@link KeyStore.ensureAccount} creates. */
  setOpening(opening: OpeningEntries | undefined): void;
  /** A UID's balances, positions and settings (no lock). */
  accountState(uid: string): Promise<AccountState>;
  /** A UID's trades (fills), newest first. */
  listTrades(q: TradeQuery): Promise<StoredTrade[]>;
  /** A UID's ledger entries (bills), newest first, at most `limit`. */
  listEntries(uid: string, limit: number, account?: string): Promise<Array<LedgerEntry & { id: string; ts: string }>>;
  /** The store's event stream (committed units' events, in commit order; see events/types.ts). */
  readonly events: EventBus;
  /**
   * Retention: deletes the oldest outbox units so that about `keep` events remain (whole units
   * are kept, so a few more may stay; the newest unit always stays). Bounded work per call, never
   * holding the lock that orders commits.
   * @returns how many events were deleted.
   */
  pruneEvents(keep: number): Promise<number>;
  /** The kill switches' deadlines and blocks (issue 13; {@link SwitchStore}). */
  readonly switches: SwitchStore;
  /** Instance number (0..1023) for id generation; unique among processes on this store. */
  instanceId(): Promise<number>;
  close(): Promise<void>;
}

// ---- kill switches (issue 13; src/switches/) ---------------------------------------------

/**
 * Which kind of kill switch a row is:
 * - `countdown`: Bitget's countdown cancel-all (`POST /api/v3/trade/countdown-cancel-all`) and
 *   ordergate's scoped extension of it for classic accounts; armed by a call, fires at `deadline`;
 * - `disconnect`: cancel-on-disconnect of the private WebSocket; armed (`deadline` set) only
 *   once the UID's last armed connection closed uncleanly, disarmed by a re-arm in the window;
 * - `panic`: the panic endpoint's record (last fire) and its placement block (`blocked`).
 */
export type SwitchKind = 'countdown' | 'disconnect' | 'panic';

/** What a fire cancelled (recorded on the switch row and carried by its `switch` event). */
export interface SwitchFire {
  /** When the fire committed, ms. */
  at: number;
  /** The `cancelReason` the cancelled orders carry. */
  cancelReason: string;
  /** How many orders were cancelled. */
  cancelled: number;
  /** Up to 100 of their orderIds (oldest first). */
  orderIds: string[];
  /** The deadline that fired (ms); null for a panic. */
  deadline: number | null;
  /** The arm generation that fired. */
  generation: number;
}

/** One kill switch of a UID, as stored (`switches` table, both stores). Times in ms. */
export interface SwitchRecord {
  uid: string;
  kind: SwitchKind;
  /** `category:symbol` with `*` for "every": `*:*` is the whole UID (Bitget's countdown). */
  scopeKey: string;
  /** Only this category (null = every category). */
  category: string | null;
  /** Only this symbol (null = every symbol). */
  symbol: string | null;
  /** True while a deadline is pending. */
  armed: boolean;
  /** When it fires (ms), while armed. */
  deadline: number | null;
  /** Countdown length or disconnect grace window, ms. */
  windowMs: number;
  /** Bumped by every arm and disarm: a fire claimed under an older generation lost a race with a re-arm. */
  generation: number;
  /** Set while an instance is firing it (the claim), ms; a claim older than the stale limit is taken over. */
  claimedAt: number | null;
  /** panic: placements of the UID are refused until unblocked. */
  blocked: boolean;
  /** disconnect: `account` scope (every new private connection of the UID starts armed) or `connection`. */
  codScope: 'connection' | 'account' | null;
  /** The last fire, if any. */
  lastFire: SwitchFire | null;
  updatedAt: number;
}

/** An arm: which switch, its window and deadline. */
export interface SwitchArm {
  uid: string;
  kind: SwitchKind;
  scopeKey: string;
  category: string | null;
  symbol: string | null;
  windowMs: number;
  /** null: record the settings (window, codScope) without a pending deadline. */
  deadline: number | null;
  codScope?: 'connection' | 'account' | null;
  now: number;
}

/**
 * The kill switches' deadlines, shared by every instance on the store (src/switches/,
 * src/jobs/switch-sweeper.ts). Every write is one short statement of its own (not part of an
 * order unit); a fire is claimed first (`claimDue`) and recorded after its cancel-all
 * committed (`finish`), the generation deciding a race with a re-arm.
 */
export interface SwitchStore {
  /** Arms (or re-arms) a switch: upsert, `armed` = deadline !== null, generation + 1, claim cleared. */
  arm(a: SwitchArm): Promise<SwitchRecord>;
  /** Disarms a switch (deadline cleared, generation + 1); undefined when there is no such row. */
  disarm(uid: string, kind: SwitchKind, scopeKey: string, now: number): Promise<SwitchRecord | undefined>;
  /** One switch. */
  get(uid: string, kind: SwitchKind, scopeKey: string): Promise<SwitchRecord | undefined>;
  /** Every switch of `uid` (every UID when undefined), by uid, kind, scopeKey. */
  list(uid?: string): Promise<SwitchRecord[]>;
  /**
   * Claims up to `limit` armed switches whose deadline is `<= now` and that nobody claimed (or
   * whose claim is older than `staleBefore`): sets `claimedAt = now` in one conditional UPDATE
   * (PostgreSQL: `FOR UPDATE SKIP LOCKED`), so concurrent instances never claim the same one.
   */
  claimDue(now: number, staleBefore: number, limit: number): Promise<SwitchRecord[]>;
  /**
   * Records a fire of the claimed `generation`: when the generation is unchanged the switch is
   * disarmed (Bitget: "after that automatic cancellation the switch turns itself off"); when a
   * re-arm bumped it meanwhile, the new arm stays and only `lastFire` is recorded.
   * @returns 'disarmed', or 'superseded' when a re-arm or disarm bumped the generation after the claim (the fire went ahead; the newer arm stands).
   */
  finish(uid: string, kind: SwitchKind, scopeKey: string, generation: number, fire: SwitchFire): Promise<'disarmed' | 'superseded'>;
  /** Sets or clears the placement block of `uid` (the `panic` row, scope `*:*`); records `fire` when given. */
  setBlocked(uid: string, blocked: boolean, now: number, fire?: SwitchFire): Promise<SwitchRecord>;
  /** UIDs whose placements are blocked. */
  blockedUids(): Promise<string[]>;
  /**
   * Cancel-on-disconnect lease: for each of `uids` (UIDs with an armed WebSocket connection on
   * the calling instance), `armed` and `deadline = now + leaseMs + window` on its `disconnect`
   * switch, unless a fire has claimed it. No generation bump. While any instance renews, the
   * switch never comes due; when every instance holding armed connections is gone (killed), it
   * fires window + lease after the last renewal.
   */
  renewDisconnect(uids: readonly string[], now: number, leaseMs: number): Promise<void>;
}
