/**
 * Cancel orchestration: `cancelOrders` (many refs of one category) and `cancelAll` (every
 * open order of chosen categories / symbols), both producing one merged {@link CancelReport}.
 *
 * - Split: refs are deduplicated, grouped by symbol (v2 batch bodies name one symbol; v3
 *   items carry their own) and chunked to the endpoint's batch limit (v2 50, v3 20).
 * - Pace and retry: the transport paces every endpoint under Bitget's per-second limit and
 *   retries 429 / network errors / 5xx with backoff (a cancel is safe to repeat).
 * - Lost answers: when a batch was retried after an answer was lost (connection dropped after
 *   the request left), the repeat reports the already-cancelled orders as "not found" or
 *   "finished". Those items are checked with a query: an order found `cancelled` with an
 *   update time after the first attempt left counts as cancelled (`verified: true`).
 * - A request-level error fails that batch's items with the error's code and msg; an
 *   authentication error stops the run (every later batch fails with the same code).
 */
import { BitgetApiError, BitgetNetworkError, ClientUsageError, SYMBOL_UNKNOWN_CODES } from './errors.js';
import { ENDPOINTS, GONE_CODES, dialectOf, type EndpointSpec, type Dialect } from './endpoints.js';
import { cancelBatchBody, parseItems, type ItemOutcome } from './dialects.js';
import type { BitgetClient } from './client.js';
import {
  ALL_CATEGORIES,
  type CancelItemResult,
  type CancelProgress,
  type AccountMode,
  type CancelRef,
  type CancelReport,
  type Category,
  type CategorySummary,
  type MarginMode,
  type OrderInfo,
  type TargetError,
  type TransportStats,
} from './types.js';

/** Options of `cancelOrders`. */
export interface CancelOrdersOptions {
  /** Requests in flight per endpoint (default 3; pacing still caps the rate). */
  concurrency?: number;
  /** Called after every batch with the counts so far. */
  onProgress?: (p: CancelProgress) => void;
  /** Plan only: report what would be sent, cancel nothing. */
  dryRun?: boolean;
  /** Check "not found" items of batches whose answer was lost (default true). */
  verifyLost?: boolean;
  /** Tolerated clock difference to the server when checking update times, ms (default 2000). */
  clockSkewMs?: number;
  /** Items per batch request, capped at the endpoint's batch limit (default: the limit). */
  batchSize?: number;
}

/** Options of `cancelAll`. */
export interface CancelAllOptions extends CancelOrdersOptions {
  /** Default: every category. */
  categories?: readonly Category[];
  /** Default: every symbol. */
  symbols?: readonly string[];
  /** Classic MARGIN: which margin modes (default both). */
  marginModes?: readonly MarginMode[];
  /** Cancel + verify rounds (default 3). */
  maxPasses?: number;
}

interface Unit {
  category: Category;
  marginMode?: MarginMode;
  ref: CancelRef;
  result?: CancelItemResult;
}

interface Job {
  dialect: Dialect;
  category: Category;
  spec: EndpointSpec;
  units: Unit[];
}

const NETWORK_CODE = 'NETWORK';

function keyOf(dialect: Dialect, category: Category, r: CancelRef): string {
  return `${dialect}|${category}|${r.symbol}|${r.marginCoin ?? ''}|${r.orderId ? 'o:' + r.orderId : 'c:' + r.clientOid}`;
}

function statsDiff(a: TransportStats, b: TransportStats): TransportStats {
  return { requests: b.requests - a.requests, retries: b.retries - a.retries, http429: b.http429 - a.http429, networkErrors: b.networkErrors - a.networkErrors };
}

function errorOf(e: unknown): { code: string; msg: string } {
  if (e instanceof BitgetApiError) return { code: e.code, msg: e.msg };
  if (e instanceof BitgetNetworkError) return { code: NETWORK_CODE, msg: e.message };
  throw e;
}

/** Runs `fn` over `items` with at most `n` in flight. */
async function pool<T>(items: readonly T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
}

/** Pairs each unit with its outcome: by orderId, else clientOid, else leftover order. */
function match(units: readonly Unit[], outcomes: readonly ItemOutcome[]): Array<ItemOutcome | undefined> {
  const used = new Array<boolean>(outcomes.length).fill(false);
  const picked: Array<ItemOutcome | undefined> = units.map((u) => {
    const i = outcomes.findIndex((o, k) => !used[k] && (u.ref.orderId ? o.orderId === u.ref.orderId : o.clientOid === u.ref.clientOid && o.clientOid !== ''));
    if (i < 0) return undefined;
    used[i] = true;
    return outcomes[i];
  });
  return picked.map((p) => {
    if (p) return p;
    const i = used.findIndex((x) => !x);
    if (i < 0) return undefined;
    used[i] = true;
    return outcomes[i];
  });
}

/** Shared state of one run. */
class Run {
  readonly started = Date.now();
  readonly stats0: TransportStats;
  readonly results = new Map<string, CancelItemResult>();
  readonly errors: TargetError[] = [];
  total = 0;
  private fatal: { code: string; msg: string } | undefined;

  constructor(
    readonly client: BitgetClient,
    readonly opts: CancelOrdersOptions,
  ) {
    this.stats0 = client.transport.snapshot();
  }

  private progress(): void {
    const items = [...this.results.values()];
    const done = items.length;
    this.total = Math.max(this.total, done);
    this.opts.onProgress?.({ done, total: this.total, failed: items.filter((i) => !i.ok).length });
  }

  /** Records an item; a later success of the same order replaces an earlier failure. */
  record(r: CancelItemResult): void {
    const key = `${r.category}|${r.marginMode ?? ''}|${r.orderId || 'c:' + r.clientOid}`;
    const prev = this.results.get(key);
    if (prev?.ok && !r.ok) return;
    if (prev && !r.symbol) r.symbol = prev.symbol;
    this.results.set(key, r);
  }

  /** Sends the batch jobs: one pool per endpoint, all endpoints concurrently. */
  async runJobs(jobs: readonly Job[]): Promise<void> {
    const byPath = new Map<string, Job[]>();
    for (const j of jobs) {
      const l = byPath.get(j.spec.path) ?? [];
      l.push(j);
      byPath.set(j.spec.path, l);
    }
    await Promise.all([...byPath.values()].map((l) => pool(l, this.opts.concurrency ?? 3, (j) => this.runJob(j))));
  }

  private settle(u: Unit, o: ItemOutcome | undefined, failure?: { code: string; msg: string }): void {
    const base = { category: u.category, ...(u.marginMode ? { marginMode: u.marginMode } : {}), symbol: u.ref.symbol };
    if (failure || !o) {
      const f = failure ?? { code: 'NO_RESULT', msg: 'the answer did not mention this order' };
      u.result = { ...base, orderId: u.ref.orderId ?? '', clientOid: u.ref.clientOid ?? '', ok: false, code: f.code, msg: f.msg };
    } else {
      u.result = {
        ...base,
        orderId: o.orderId || u.ref.orderId || '',
        clientOid: o.clientOid || u.ref.clientOid || '',
        ok: o.ok,
        ...(o.ok ? {} : { code: o.code ?? '', msg: o.msg ?? '' }),
      };
    }
  }

  private async runJob(job: Job): Promise<void> {
    if (this.fatal) {
      for (const u of job.units) this.settle(u, undefined, this.fatal);
    } else {
      try {
        const sent = await this.client.transport.send(job.spec, cancelBatchBody(job.dialect, job.category, job.units.map((u) => u.ref)));
        const matched = match(job.units, parseItems(sent.data));
        job.units.forEach((u, i) => this.settle(u, matched[i]));
        if (sent.ambiguous && this.opts.verifyLost !== false) await this.verify(job, sent.firstSentAt);
      } catch (e) {
        const f = errorOf(e);
        if (e instanceof BitgetApiError && e.isAuthError) this.fatal = f;
        for (const u of job.units) this.settle(u, undefined, f);
      }
    }
    for (const u of job.units) if (u.result) this.record(u.result);
    this.progress();
  }

  /** Re-checks "gone" failures of a batch whose earlier answer was lost (module comment). */
  private async verify(job: Job, firstSentAt: number): Promise<void> {
    const gone = GONE_CODES[job.dialect];
    const since = firstSentAt - (this.opts.clockSkewMs ?? 2000);
    for (const u of job.units) {
      const r = u.result;
      if (!r || r.ok || !gone.includes(r.code ?? '')) continue;
      let info: OrderInfo | undefined;
      try {
        info = await this.client.getOrder(job.category, { ...u.ref, orderId: r.orderId || u.ref.orderId, marginMode: u.marginMode });
      } catch {
        continue;
      }
      if (info && info.status === 'cancelled' && Number(info.uTime) >= since) {
        u.result = { category: r.category, ...(r.marginMode ? { marginMode: r.marginMode } : {}), symbol: r.symbol, orderId: info.orderId, clientOid: info.clientOid, ok: true, verified: true };
      }
    }
  }

  /** Sends one scope cancel and records its per-order results. */
  async runScope(t: Target, symbol: string | undefined, known: ReadonlyMap<string, OrderInfo>): Promise<void> {
    const eps = ENDPOINTS[t.dialect];
    const spec = t.dialect === 'mix' && symbol ? eps.cancelSymbol! : eps.cancelAll!;
    const body = t.dialect === 'uta' ? { category: t.category, ...(symbol ? { symbol } : {}) } : { productType: t.category, ...(symbol ? { symbol } : {}) };
    try {
      const sent = await this.client.transport.send(spec, body);
      const reported = new Set<string>();
      for (const o of parseItems(sent.data)) {
        reported.add(o.orderId);
        const sym = known.get(o.orderId)?.symbol ?? symbol ?? '';
        this.record({
          category: t.category,
          symbol: sym,
          orderId: o.orderId,
          clientOid: o.clientOid,
          ok: o.ok,
          ...(o.ok ? {} : { code: o.code ?? '', msg: o.msg ?? '' }),
        });
      }
      if (sent.ambiguous && this.opts.verifyLost !== false) {
        // an earlier attempt may have cancelled orders the repeat no longer lists
        const since = sent.firstSentAt - (this.opts.clockSkewMs ?? 2000);
        for (const o of known.values()) {
          if (reported.has(o.orderId) || (symbol && o.symbol !== symbol)) continue;
          const info = await this.client.getOrder(t.category, { symbol: o.symbol, orderId: o.orderId }).catch(() => undefined);
          if (info && info.status === 'cancelled' && Number(info.uTime) >= since) {
            this.record({ category: t.category, symbol: o.symbol, orderId: o.orderId, clientOid: info.clientOid, ok: true, verified: true });
          }
        }
      }
    } catch (e) {
      const f = errorOf(e);
      if (!(e instanceof BitgetApiError && SYMBOL_UNKNOWN_CODES.has(e.code) && symbol)) {
        this.errors.push({ category: t.category, ...(t.marginMode ? { marginMode: t.marginMode } : {}), ...(symbol ? { symbol } : {}), ...f });
      }
    }
    this.progress();
  }

  report(extra: { remaining?: number; dryRun?: boolean } = {}): CancelReport {
    const items = [...this.results.values()];
    const summary = new Map<string, CategorySummary>();
    for (const i of items) {
      const k = `${i.category}|${i.marginMode ?? ''}`;
      let s = summary.get(k);
      if (!s) summary.set(k, (s = { category: i.category, ...(i.marginMode ? { marginMode: i.marginMode } : {}), requested: 0, cancelled: 0, failed: 0 }));
      s.requested++;
      if (extra.dryRun) continue;
      if (i.ok) s.cancelled++;
      else s.failed++;
    }
    return {
      items,
      successList: extra.dryRun ? [] : items.filter((i) => i.ok).map((i) => ({ orderId: i.orderId, clientOid: i.clientOid })),
      failureList: items.filter((i) => !i.ok).map((i) => ({ orderId: i.orderId, clientOid: i.clientOid, errorMsg: i.msg ?? '', errorCode: i.code ?? '' })),
      summary: [...summary.values()].sort(
        (x, y) => ALL_CATEGORIES.indexOf(x.category) - ALL_CATEGORIES.indexOf(y.category) || (x.marginMode ?? '').localeCompare(y.marginMode ?? ''),
      ),
      stats: statsDiff(this.stats0, this.client.transport.snapshot()),
      errors: [...new Map(this.errors.map((e) => [`${e.category}|${e.marginMode ?? ''}|${e.symbol ?? ''}|${e.code}`, e])).values()],
      durationMs: Date.now() - this.started,
      ...(extra.remaining !== undefined ? { remaining: extra.remaining } : {}),
      ...(extra.dryRun ? { dryRun: true } : {}),
    };
  }
}

/**
 * Builds the batch jobs for units of one category (deduplicated by the caller): grouped by
 * dialect (classic MARGIN: one per margin mode), symbol and margin coin for v2 bodies, one
 * group for v3 (items carry their own symbol), each group cut to the batch limit.
 */
function plan(mode: AccountMode, category: Category, units: readonly Unit[], batchSize?: number): Job[] {
  const groups = new Map<string, { dialect: Dialect; units: Unit[] }>();
  for (const u of units) {
    const dialect = dialectOf(mode, category, u.marginMode);
    const k = dialect === 'uta' ? dialect : `${dialect}|${u.ref.symbol}|${u.ref.marginCoin ?? ''}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { dialect, units: [] }));
    g.units.push(u);
  }
  const jobs: Job[] = [];
  for (const { dialect, units: l } of groups.values()) {
    const spec = ENDPOINTS[dialect].batchCancel;
    const limit = spec.batchLimit ?? 20;
    const max = batchSize && batchSize >= 1 ? Math.min(limit, Math.floor(batchSize)) : limit;
    for (let i = 0; i < l.length; i += max) jobs.push({ dialect, category, spec, units: l.slice(i, i + max) });
  }
  return jobs;
}

/** See BitgetClient.cancelOrders. */
export async function runCancelOrders(
  client: BitgetClient,
  category: Category,
  refs: readonly CancelRef[],
  opts: CancelOrdersOptions,
): Promise<CancelReport> {
  const mode = await client.accountMode();
  const units: Unit[] = [];
  const seen = new Map<string, Unit>();
  for (const [i, raw] of refs.entries()) {
    if (!raw || !raw.symbol) throw new ClientUsageError(`ref #${i + 1}: symbol is required`);
    if (!raw.orderId && !raw.clientOid) throw new ClientUsageError(`ref #${i + 1}: orderId or clientOid is required`);
    const ref: CancelRef = raw.orderId ? { ...raw, clientOid: undefined } : { ...raw };
    const marginMode = category === 'MARGIN' ? (ref.marginMode ?? 'crossed') : undefined;
    const dialect = dialectOf(mode, category, marginMode);
    const k = keyOf(dialect, category, ref);
    if (!seen.has(k)) {
      const u: Unit = { category, ...(marginMode ? { marginMode } : {}), ref: { ...ref, ...(marginMode ? { marginMode } : {}) } };
      seen.set(k, u);
      units.push(u);
    }
  }
  const run = new Run(client, opts);
  run.total = units.length;
  const jobs = plan(mode, category, units, opts.batchSize);
  if (opts.dryRun) {
    for (const u of units) run.record({ category, ...(u.marginMode ? { marginMode: u.marginMode } : {}), symbol: u.ref.symbol, orderId: u.ref.orderId ?? '', clientOid: u.ref.clientOid ?? '', ok: true });
    return { ...run.report({ dryRun: true }), plannedRequests: jobs.length };
  }
  await run.runJobs(jobs);
  const rep = run.report();
  // items in input order, one per distinct order
  rep.items = units.map((u) => u.result as CancelItemResult);
  return rep;
}

/** One (category, margin mode) the cancel-all walks. */
interface Target {
  dialect: Dialect;
  category: Category;
  marginMode?: MarginMode;
}

function targetsOf(mode: 'classic' | 'unified', opts: CancelAllOptions): Target[] {
  const out: Target[] = [];
  for (const category of opts.categories ?? ALL_CATEGORIES) {
    if (category === 'MARGIN' && mode === 'classic') {
      for (const mm of opts.marginModes ?? (['crossed', 'isolated'] as const)) out.push({ dialect: dialectOf(mode, category, mm), category, marginMode: mm });
    } else out.push({ dialect: dialectOf(mode, category), category });
  }
  return out;
}

const scopeCapable = (v: Dialect): boolean => v === 'mix' || v === 'uta';

/**
 * See BitgetClient.cancelAll.
 * @throws BitgetApiError for an authentication error while listing (nothing cancelled yet).
 */
export async function runCancelAll(client: BitgetClient, opts: CancelAllOptions): Promise<CancelReport> {
  const mode = await client.accountMode();
  const targets = targetsOf(mode, opts);
  const run = new Run(client, opts);
  const symbols = opts.symbols && opts.symbols.length > 0 ? [...new Set(opts.symbols.map((s) => s.toUpperCase()))] : undefined;
  let marginSyms: Promise<string[]> | undefined;

  /** Open orders of one target (every symbol asked); problems go to the report's errors. */
  const discover = async (t: Target): Promise<OrderInfo[]> => {
    let syms: Array<string | undefined> = symbols ?? [undefined];
    if (t.dialect === 'margin-crossed' || t.dialect === 'margin-isolated') {
      if (!symbols) {
        marginSyms ??= client.marginSymbols();
        syms = await marginSyms;
        if (syms.length === 0) {
          run.errors.push({ category: t.category, marginMode: t.marginMode, code: 'NO_SYMBOLS', msg: 'margin orders are listed per symbol: give symbols' });
          return [];
        }
      }
      if (symbols) syms = symbols;
    }
    const found: OrderInfo[] = [];
    await pool(syms, 2, async (s) => {
      try {
        found.push(...(await client.getOpenOrders(t.category, { symbol: s, marginMode: t.marginMode })));
      } catch (e) {
        if (e instanceof BitgetApiError && SYMBOL_UNKNOWN_CODES.has(e.code) && s) return;
        if (e instanceof BitgetApiError && e.isAuthError) throw e;
        run.errors.push({ category: t.category, ...(t.marginMode ? { marginMode: t.marginMode } : {}), ...(s ? { symbol: s } : {}), ...errorOf(e) });
      }
    });
    return found;
  };

  const discoverAll = async () => {
    const lists = await Promise.all(targets.map(async (t) => ({ t, orders: await discover(t) })));
    return lists;
  };

  let lists = await discoverAll();
  run.total = lists.reduce((n, l) => n + l.orders.length, 0);
  if (opts.dryRun) {
    for (const { t, orders } of lists) {
      for (const o of orders) run.record({ category: t.category, ...(t.marginMode ? { marginMode: t.marginMode } : {}), symbol: o.symbol, orderId: o.orderId, clientOid: o.clientOid, ok: true });
    }
    return run.report({ dryRun: true });
  }
  const maxPasses = Math.max(1, opts.maxPasses ?? 3);
  let remaining = 0;
  for (let pass = 1; run.total > 0; pass++) {
    const jobs: Job[] = [];
    const scopes: Array<Promise<void>> = [];
    for (const { t, orders } of lists) {
      if (orders.length === 0) continue;
      if (scopeCapable(t.dialect)) {
        const known = new Map(orders.map((o) => [o.orderId, o]));
        const syms: Array<string | undefined> = symbols ? [...new Set(orders.map((o) => o.symbol))] : [undefined];
        scopes.push(pool(syms, 1, (s) => run.runScope(t, s, known)));
      } else {
        const units: Unit[] = orders.map((o) => ({ category: t.category, ...(t.marginMode ? { marginMode: t.marginMode } : {}), ref: { symbol: o.symbol, orderId: o.orderId, ...(t.marginMode ? { marginMode: t.marginMode } : {}) } }));
        jobs.push(...plan(mode, t.category, units, opts.batchSize));
      }
    }
    await Promise.all([run.runJobs(jobs), ...scopes]);
    lists = await discoverAll();
    remaining = lists.reduce((n, l) => n + l.orders.length, 0);
    if (remaining === 0 || pass >= maxPasses) break;
    run.total += remaining;
  }
  return run.report({ remaining });
}
