/**
 * `npm run demo`: starts a throwaway ordergate (in-memory store, real socket, rate limits on),
 * drives it with the unmodified `bitget-api` SDK across every family, about 200 orders placed,
 * batch-cancelled by orderId and by clientOid, some partially filled first, one cancel-all,
 * and prints what succeeded and what failed and why. `runDemo` is also the scenario of the
 * end-to-end test (test/e2e/sdk.test.ts).
 */
import { RestClientV2, RestClientV3 } from 'bitget-api';
import { pathToFileURL } from 'node:url';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createKey } from '../src/accounts/keys.js';

/** One row of the demo summary: what one call did. */
export interface DemoRow {
  family: string;
  step: string;
  ok: number;
  failed: number;
  /** failure reasons: "code msg" -> count */
  reasons: Record<string, number>;
}

type V2Batch = { successList: Array<{ orderId: string; clientOid: string }>; failureList: Array<{ orderId: string; clientOid: string; errorMsg: string; errorCode?: string }> };
type V3Item = { orderId: string; clientOid: string; code?: string; msg?: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries a call that got HTTP 429 (Bitget's rate limit) after the window passes. */
async function paced<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const body = (e as { body?: { code?: string } }).body;
      if (body?.code === '429' && attempt < 10) {
        await sleep(1000);
        continue;
      }
      throw e;
    }
  }
}

/** The scenario's outcome. */
export interface DemoResult {
  rows: DemoRow[];
  placed: number;
  cancelled: number;
  /** orderIds that were partially filled and then cancelled, with the filled size kept. */
  partiallyFilled: Array<{ orderId: string; filledSize: string; status: string }>;
  /** Open orders left per family after the scenario (should all be 0). */
  leftOpen: Record<string, number>;
}

/**
 * Runs the demo scenario against `baseUrl` with one classic and one unified key. `fill`
 * partially fills an order (admin control), returning its status and filled size.
 */
export async function runDemo(
  baseUrl: string,
  classicKey: { apiKey: string; secretKey: string; passphrase: string },
  unifiedKey: { apiKey: string; secretKey: string; passphrase: string },
  fill: (orderId: string, size: string) => Promise<void>,
): Promise<DemoResult> {
  const v2 = new RestClientV2({ apiKey: classicKey.apiKey, apiSecret: classicKey.secretKey, apiPass: classicKey.passphrase, baseUrl });
  const v3 = new RestClientV3({ apiKey: unifiedKey.apiKey, apiSecret: unifiedKey.secretKey, apiPass: unifiedKey.passphrase, baseUrl });
  const rows: DemoRow[] = [];
  let placed = 0;
  let cancelled = 0;
  const partiallyFilled: DemoResult['partiallyFilled'] = [];

  const record = (family: string, step: string, b: V2Batch | V3Item[]) => {
    const reasons: Record<string, number> = {};
    let ok = 0;
    let failed = 0;
    const items = Array.isArray(b)
      ? b.map((i) => (i.code && i.code !== '00000' ? { fail: `${i.code} ${i.msg}` } : { fail: undefined }))
      : [...b.successList.map(() => ({ fail: undefined })), ...b.failureList.map((f) => ({ fail: `${f.errorCode ?? ''} ${f.errorMsg}`.trim() }))];
    for (const i of items) {
      if (i.fail) {
        failed++;
        reasons[i.fail] = (reasons[i.fail] ?? 0) + 1;
      } else ok++;
    }
    rows.push({ family, step, ok, failed, reasons });
    return { ok, failed };
  };
  const place = (family: string, step: string, b: V2Batch | V3Item[]) => (placed += record(family, step, b).ok);
  const cancel = (family: string, step: string, b: V2Batch | V3Item[]) => (cancelled += record(family, step, b).ok);
  const ids = (b: V2Batch | V3Item[]) => (Array.isArray(b) ? b.filter((i) => !i.code).map((i) => i.orderId) : b.successList.map((s) => s.orderId));
  const run = Date.now().toString(36);

  // ---- spot: 40 orders, cancel 20 by orderId (single mode) and 20 by clientOid (multiple mode)
  const spotList = (symbol: string, n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => ({ symbol, side: 'buy' as const, orderType: 'limit' as const, force: 'gtc' as const, price: String(20000 + i), size: '0.001', clientOid: `spot-${tag}-${run}-${i}` }));
  const spotA = (await paced(() => v2.spotBatchSubmitOrders({ symbol: 'BTCUSDT', orderList: spotList('BTCUSDT', 20, 'a') }))).data as V2Batch;
  place('spot', 'batch-orders BTCUSDT', spotA);
  const spotB = (await paced(() => v2.spotBatchSubmitOrders({ batchMode: 'multiple', orderList: [...spotList('ETHUSDT', 10, 'b'), ...spotList('BTCUSDT', 10, 'c')].map((o) => ({ ...o, price: o.symbol === 'ETHUSDT' ? '2000' : o.price, size: o.symbol === 'ETHUSDT' ? '0.01' : o.size })) }))).data as V2Batch;
  place('spot', 'batch-orders multiple', spotB);
  await fill(ids(spotA)[0], '0.0004');
  partiallyFilled.push({ orderId: ids(spotA)[0], filledSize: '0.0004', status: '' });
  cancel('spot', 'batch-cancel by orderId (single) + 1 unknown', (await paced(() => v2.spotBatchCancelOrders({ symbol: 'BTCUSDT', orderList: [...ids(spotA).map((orderId) => ({ orderId })), { orderId: '1000000000000000001' }] }))).data as V2Batch);
  cancel('spot', 'batch-cancel by clientOid (multiple)', (await paced(() => v2.spotBatchCancelOrders({ batchMode: 'multiple', orderList: spotB.successList.map((s, i) => ({ symbol: i < 10 ? 'ETHUSDT' : 'BTCUSDT', clientOid: s.clientOid })) }))).data as V2Batch);

  // ---- spot cancel-symbol-order: 20 SOLUSDT orders cleared in one call (answer: {symbol})
  const sol = (await paced(() => v2.spotBatchSubmitOrders({ symbol: 'SOLUSDT', orderList: spotList('SOLUSDT', 20, 's').map((o, i) => ({ ...o, price: String(100 + i), size: '0.1' })) }))).data as V2Batch;
  place('spot', 'batch-orders SOLUSDT', sol);
  await paced(() => v2.spotCancelSymbolOrder({ symbol: 'SOLUSDT' }));
  const solLeft = ((await v2.getSpotOpenOrders({ symbol: 'SOLUSDT' })).data as unknown[]).length;
  rows.push({ family: 'spot', step: 'cancel-symbol-order SOLUSDT', ok: sol.successList.length - solLeft, failed: solLeft, reasons: solLeft ? { 'still open': solLeft } : {} });
  cancelled += sol.successList.length - solLeft;

  // ---- futures (mix): 60 orders over USDT/COIN/USDC, cancel by ids, by clientOid, cancel-all
  const mixList = (n: number, price: string, size: string, tag: string) =>
    Array.from({ length: n }, (_, i) => ({ side: 'buy' as const, orderType: 'limit' as const, force: 'gtc' as const, price, size, clientOid: `mix-${tag}-${run}-${i}` }));
  const usdt = (await paced(() => v2.futuresBatchSubmitOrders({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT', orderList: mixList(30, '30000', '0.01', 'u') }))).data as V2Batch;
  place('usdt-futures', 'batch-place-order BTCUSDT', usdt);
  const coin = (await paced(() => v2.futuresBatchSubmitOrders({ symbol: 'BTCUSD', productType: 'COIN-FUTURES', marginMode: 'isolated', marginCoin: 'BTC', orderList: mixList(15, '30000', '0.01', 'c') }))).data as V2Batch;
  place('coin-futures', 'batch-place-order BTCUSD', coin);
  const usdc = (await paced(() => v2.futuresBatchSubmitOrders({ symbol: 'BTCPERP', productType: 'USDC-FUTURES', marginMode: 'crossed', marginCoin: 'USDC', orderList: mixList(15, '30000', '0.01', 'p') }))).data as V2Batch;
  place('usdc-futures', 'batch-place-order BTCPERP', usdc);
  await fill(ids(usdt)[1], '0.004');
  partiallyFilled.push({ orderId: ids(usdt)[1], filledSize: '0.004', status: '' });
  await fill(ids(usdt)[2], '0.01'); // fully filled: its cancel must fail
  cancel('usdt-futures', 'batch-cancel-orders by orderId (1 filled)', (await paced(() => v2.futuresBatchCancelOrders({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginCoin: 'USDT', orderIdList: ids(usdt).slice(0, 20).map((orderId) => ({ orderId })) }))).data as V2Batch);
  cancel('usdt-futures', 'batch-cancel-orders by clientOid', (await paced(() => v2.futuresBatchCancelOrders({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderIdList: usdt.successList.slice(20).map((s) => ({ clientOid: s.clientOid })) }))).data as V2Batch);
  cancel('coin-futures', 'cancel-all-orders', (await paced(() => v2.futuresCancelAllOrders({ productType: 'COIN-FUTURES', marginCoin: 'BTC' }))).data as V2Batch);
  cancel('usdc-futures', 'batch-cancel-orders (no list: whole symbol)', (await paced(() => v2.futuresBatchCancelOrders({ symbol: 'BTCPERP', productType: 'USDC-FUTURES' }))).data as V2Batch);

  // ---- margin crossed and isolated: 20 each; batch cancel through the SDK's generic signed POST
  // (its marginBatchCancelOrders builds a literal "${marginType}" path)
  for (const mt of ['crossed', 'isolated'] as const) {
    const list = Array.from({ length: 20 }, (_, i) => ({ side: 'buy' as const, orderType: 'limit' as const, force: 'gtc' as const, loanType: 'normal' as const, price: String(20000 + i), baseSize: '0.001', clientOid: `mg-${mt}-${run}-${i}` }));
    const r = (await paced(() => v2.marginBatchSubmitOrders(mt, { symbol: 'BTCUSDT', orderList: list }))).data as V2Batch;
    place(`margin ${mt}`, 'batch-place-order', r);
    const half = r.successList.slice(0, 10).map((s) => ({ orderId: s.orderId }));
    const rest = r.successList.slice(10).map((s) => ({ clientOid: s.clientOid }));
    const c = (await paced(() => v2.postPrivate(`/api/v2/margin/${mt}/batch-cancel-order`, { symbol: 'BTCUSDT', orderIdList: [...half, ...rest, { orderId: half[0].orderId }] }))) as { data: V2Batch };
    cancel(`margin ${mt}`, 'batch-cancel-order by id + clientOid (+1 repeat)', c.data);
  }

  // ---- unified account (v3): 40 orders in two categories; cancel-batch (<= 20) and cancel-symbol-order
  const v3List = (category: 'SPOT' | 'USDT-FUTURES', n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => ({ category, symbol: 'BTCUSDT', side: 'buy' as const, orderType: 'limit' as const, timeInForce: 'gtc' as const, price: category === 'SPOT' ? String(20000 + i) : '30000', qty: category === 'SPOT' ? '0.001' : '0.01', clientOid: `v3${tag}${run}${i}` }));
  const uSpot = (await paced(() => v3.placeBatchOrders(v3List('SPOT', 20, 's')))).data as V3Item[];
  place('uta SPOT', 'place-batch', uSpot);
  const uFut = (await paced(() => v3.placeBatchOrders(v3List('USDT-FUTURES', 20, 'f')))).data as V3Item[];
  place('uta USDT-FUTURES', 'place-batch', uFut);
  await fill(ids(uSpot)[0], '0.0005');
  partiallyFilled.push({ orderId: ids(uSpot)[0], filledSize: '0.0005', status: '' });
  cancel('uta SPOT', 'cancel-batch by orderId (10) + clientOid (10)', (await paced(() => v3.cancelBatchOrders(uSpot.map((o, i) => (i < 10 ? { orderId: o.orderId, category: 'SPOT', symbol: 'BTCUSDT' } : { clientOid: o.clientOid, category: 'SPOT', symbol: 'BTCUSDT' }))))).data as V3Item[]);
  cancel('uta USDT-FUTURES', 'cancel-batch wrong symbol (all fail)', (await paced(() => v3.cancelBatchOrders(uFut.slice(0, 3).map((o) => ({ orderId: o.orderId, category: 'USDT-FUTURES', symbol: 'ETHUSDT' }))))).data as V3Item[]);
  cancel('uta USDT-FUTURES', 'cancel-symbol-order', ((await paced(() => v3.cancelAllOrders({ category: 'USDT-FUTURES', symbol: 'BTCUSDT' }))).data as { list: V3Item[] }).list);

  // ---- check: the partially filled orders kept their fill; nothing left open
  for (const p of partiallyFilled) {
    if (p.orderId === ids(uSpot)[0]) {
      const o = (await v3.getOrderInfo({ orderId: p.orderId })).data as { orderStatus: string; cumExecQty: string };
      p.status = o.orderStatus;
      p.filledSize = o.cumExecQty;
    } else if (p.orderId === ids(spotA)[0]) {
      const o = ((await v2.getSpotOrder({ orderId: p.orderId })).data as Array<{ status: string; baseVolume: string }>)[0];
      p.status = o.status;
      p.filledSize = o.baseVolume;
    } else {
      const o = (await v2.getFuturesOrder({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderId: p.orderId })).data as unknown as { status: string; baseVolume: string };
      p.status = o.status;
      p.filledSize = o.baseVolume;
    }
  }
  const leftOpen: Record<string, number> = {};
  leftOpen.spot = ((await v2.getSpotOpenOrders({})).data as unknown[]).length;
  for (const pt of ['USDT-FUTURES', 'COIN-FUTURES', 'USDC-FUTURES'] as const) {
    leftOpen[pt] = ((await v2.getFuturesOpenOrders({ productType: pt })).data as { entrustedList: unknown[] | null }).entrustedList?.length ?? 0;
  }
  for (const mt of ['crossed', 'isolated'] as const) {
    leftOpen[`margin ${mt}`] = ((await v2.getMarginOpenOrders(mt, { symbol: 'BTCUSDT', startTime: '0' })).data as { orderList: unknown[] }).orderList.length;
  }
  leftOpen.uta = ((await v3.getUnfilledOrders({})).data as { list: unknown[] }).list.length;
  return { rows, placed, cancelled, partiallyFilled, leftOpen };
}

/** Renders the summary as a text table. */
export function formatDemo(r: DemoResult): string {
  const lines = [['family', 'step', 'ok', 'failed', 'why failed']];
  for (const row of r.rows) {
    lines.push([row.family, row.step, String(row.ok), String(row.failed), Object.entries(row.reasons).map(([k, n]) => `${n}x ${k}`).join('; ')]);
  }
  const w = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  const out = lines.map((l) => l.map((v, c) => v.padEnd(w[c])).join('  '));
  out.splice(1, 0, w.map((n) => '-'.repeat(n)).join('  '));
  out.push('', `placed ${r.placed}, cancelled ${r.cancelled}`);
  for (const p of r.partiallyFilled) out.push(`partially filled then cancelled: ${p.orderId} status=${p.status} filled=${p.filledSize}`);
  out.push(`open orders left: ${Object.entries(r.leftOpen).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  return out.join('\n');
}

async function main(): Promise<void> {
  const adminToken = 'demo-admin-token';
  const og = await createApp({ ...loadConfig({}), dbPath: ':memory:', port: 0, logLevel: 'silent', demoKeys: false, adminToken });
  try {
    const classic = await createKey(og.store.keys, og.master, { uid: '5550001', mode: 'classic', permission: 'trade', ips: [] });
    const unified = await createKey(og.store.keys, og.master, { uid: '5550002', mode: 'unified', permission: 'trade', ips: [] });
    await og.keyring.refresh();
    const baseUrl = await og.app.listen({ host: '127.0.0.1', port: 0 });
    process.stdout.write(`ordergate demo server on ${baseUrl} (in-memory store, rate limits on)\n\n`);
    const fill = async (orderId: string, size: string) => {
      const res = await fetch(`${baseUrl}/admin/fill`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-token': adminToken }, body: JSON.stringify({ orderId, size }) });
      if (!res.ok) throw new Error(`fill failed: ${await res.text()}`);
    };
    const result = await runDemo(baseUrl, classic, unified, fill);
    process.stdout.write(formatDemo(result) + '\n');
  } finally {
    await og.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    process.stderr.write(`demo failed: ${e instanceof Error ? e.stack : JSON.stringify(e, null, 2)}\n`);
    process.exit(1);
  });
}
