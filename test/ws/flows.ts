/**
 * The order flows of the WebSocket end-to-end tests, one per private order channel: how to place,
 * batch-place, batch-cancel and cancel-all over Bitget's REST paths for that channel's dialect,
 * and how that channel spells an order's id, status and cancel reason in its pushes.
 */
import assert from 'node:assert/strict';
import type { TestKey } from '../helpers.js';
import { rest, type Committed } from './helpers.js';

/** Status spellings of one channel (Bitget's: spot/margin `cancelled`, mix `canceled`, margin `partial_fill`). */
export interface Spelling {
  live: string;
  partial: string;
  cancelled: string;
}

/** One private order channel and the REST calls that change its orders. */
export interface Flow {
  name: string;
  /** Which test key: classic (v2) or unified (v3). */
  unified: boolean;
  /** The SDK subscription: v2 `[instType, channel]`, v3 the `order` topic. */
  v2?: { instType: string; channel: string };
  /** The internal category the channel carries. */
  category: string;
  spelling: Spelling;
  /** The status field of a push item. */
  status(item: any): string;
  /** Places one resting limit order; its orderId. */
  placeOne(baseUrl: string, k: TestKey, clientOid: string): Promise<string>;
  /** Places `n` resting limit orders (batches of the dialect's maximum); their orderIds in commit order. */
  placeMany(baseUrl: string, k: TestKey, n: number): Promise<string[]>;
  /** Cancels `ids` by batch requests (in order); asserts every one succeeded. */
  cancelMany(baseUrl: string, k: TestKey, ids: string[]): Promise<void>;
  /** The dialect's cancel-all (by product type or symbol). */
  cancelAll(baseUrl: string, k: TestKey): Promise<void>;
}

const chunks = <T>(a: T[], n: number): T[][] => Array.from({ length: Math.ceil(a.length / n) }, (_, i) => a.slice(i * n, i * n + n));

function okAll(env: any, n: number, what: string): any[] {
  const list: any[] = Array.isArray(env.data) ? env.data : env.data.successList;
  const failures = Array.isArray(env.data) ? list.filter((x) => x.code && x.code !== '00000' && x.code !== '0') : env.data.failureList;
  if (failures?.length || list.length !== n) throw new Error(`${what}: ${JSON.stringify(env.data)}`);
  return list;
}

const mixBase = { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT' };
const mixItem = (clientOid?: string) => ({ size: '0.01', price: '30000', side: 'buy', orderType: 'limit', force: 'gtc', ...(clientOid ? { clientOid } : {}) });

export const MIX: Flow = {
  name: 'v2 orders USDT-FUTURES',
  unified: false,
  v2: { instType: 'USDT-FUTURES', channel: 'orders' },
  category: 'USDT-FUTURES',
  spelling: { live: 'live', partial: 'partially_filled', cancelled: 'canceled' },
  status: (i) => i.status,
  async placeOne(b, k, clientOid) {
    return (await rest(b, k, 'POST', '/api/v2/mix/order/place-order', { ...mixBase, ...mixItem(clientOid) })).data.orderId;
  },
  async placeMany(b, k, n) {
    const ids: string[] = [];
    for (const c of chunks(Array.from({ length: n }, () => mixItem()), 50)) {
      const env = await rest(b, k, 'POST', '/api/v2/mix/order/batch-place-order', { ...mixBase, orderList: c });
      ids.push(...okAll(env, c.length, 'batch-place').map((x) => x.orderId));
    }
    return ids;
  },
  async cancelMany(b, k, ids) {
    for (const c of chunks(ids, 50)) {
      const env = await rest(b, k, 'POST', '/api/v2/mix/order/batch-cancel-orders', { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginCoin: 'USDT', orderIdList: c.map((orderId) => ({ orderId })) });
      okAll(env, c.length, 'batch-cancel');
    }
  },
  async cancelAll(b, k) {
    await rest(b, k, 'POST', '/api/v2/mix/order/cancel-all-orders', { productType: 'USDT-FUTURES', marginCoin: 'USDT' });
  },
};

const spotItem = (clientOid?: string) => ({ side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.01', ...(clientOid ? { clientOid } : {}) });

export const SPOT: Flow = {
  name: 'v2 orders SPOT',
  unified: false,
  v2: { instType: 'SPOT', channel: 'orders' },
  category: 'SPOT',
  spelling: { live: 'live', partial: 'partially_filled', cancelled: 'cancelled' },
  status: (i) => i.status,
  async placeOne(b, k, clientOid) {
    return (await rest(b, k, 'POST', '/api/v2/spot/trade/place-order', { symbol: 'BTCUSDT', ...spotItem(clientOid) })).data.orderId;
  },
  async placeMany(b, k, n) {
    const ids: string[] = [];
    for (const c of chunks(Array.from({ length: n }, () => spotItem()), 50)) {
      const env = await rest(b, k, 'POST', '/api/v2/spot/trade/batch-orders', { symbol: 'BTCUSDT', orderList: c });
      ids.push(...okAll(env, c.length, 'batch-orders').map((x) => x.orderId));
    }
    return ids;
  },
  async cancelMany(b, k, ids) {
    for (const c of chunks(ids, 50)) {
      okAll(await rest(b, k, 'POST', '/api/v2/spot/trade/batch-cancel-order', { symbol: 'BTCUSDT', orderList: c.map((orderId) => ({ orderId })) }), c.length, 'batch-cancel');
    }
  },
  async cancelAll(b, k) {
    await rest(b, k, 'POST', '/api/v2/spot/trade/cancel-symbol-order', { symbol: 'BTCUSDT' });
  },
};

const marginItem = (clientOid?: string) => ({ side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', baseSize: '0.01', loanType: 'normal', ...(clientOid ? { clientOid } : {}) });

export const MARGIN: Flow = {
  name: 'v2 orders-crossed MARGIN',
  unified: false,
  v2: { instType: 'MARGIN', channel: 'orders-crossed' },
  category: 'MARGIN',
  spelling: { live: 'live', partial: 'partial_fill', cancelled: 'cancelled' },
  status: (i) => i.status,
  async placeOne(b, k, clientOid) {
    return (await rest(b, k, 'POST', '/api/v2/margin/crossed/place-order', { symbol: 'BTCUSDT', ...marginItem(clientOid) })).data.orderId;
  },
  async placeMany(b, k, n) {
    const ids: string[] = [];
    for (const c of chunks(Array.from({ length: n }, () => marginItem()), 50)) {
      const env = await rest(b, k, 'POST', '/api/v2/margin/crossed/batch-place-order', { symbol: 'BTCUSDT', orderList: c });
      ids.push(...okAll(env, c.length, 'batch-place').map((x) => x.orderId));
    }
    return ids;
  },
  async cancelMany(b, k, ids) {
    for (const c of chunks(ids, 50)) {
      okAll(await rest(b, k, 'POST', '/api/v2/margin/crossed/batch-cancel-order', { symbol: 'BTCUSDT', orderIdList: c.map((orderId) => ({ orderId })) }), c.length, 'batch-cancel');
    }
  },
  async cancelAll() {
    throw new Error('Bitget has no margin cancel-all');
  },
};

const utaItem = (clientOid?: string) => ({ category: 'USDT-FUTURES', symbol: 'BTCUSDT', qty: '0.01', price: '30000', side: 'buy', orderType: 'limit', timeInForce: 'gtc', marginMode: 'crossed', ...(clientOid ? { clientOid } : {}) });

export const UTA: Flow = {
  name: 'v3 order (UTA, usdt-futures)',
  unified: true,
  category: 'USDT-FUTURES',
  spelling: { live: 'live', partial: 'partially_filled', cancelled: 'cancelled' },
  status: (i) => i.orderStatus,
  async placeOne(b, k, clientOid) {
    return (await rest(b, k, 'POST', '/api/v3/trade/place-order', utaItem(clientOid))).data.orderId;
  },
  async placeMany(b, k, n) {
    const ids: string[] = [];
    for (const c of chunks(Array.from({ length: n }, () => utaItem()), 20)) {
      ids.push(...okAll(await rest(b, k, 'POST', '/api/v3/trade/place-batch', c), c.length, 'place-batch').map((x) => x.orderId));
    }
    return ids;
  },
  async cancelMany(b, k, ids) {
    for (const c of chunks(ids, 20)) {
      okAll(await rest(b, k, 'POST', '/api/v3/trade/cancel-batch', c.map((orderId) => ({ orderId, category: 'USDT-FUTURES', symbol: 'BTCUSDT' }))), c.length, 'cancel-batch');
    }
  },
  async cancelAll(b, k) {
    await rest(b, k, 'POST', '/api/v3/trade/cancel-symbol-order', { category: 'USDT-FUTURES', symbol: 'BTCUSDT' });
  },
};

/** The channel's spelling of an internal status. */
export function spell(flow: Flow, status: string): string {
  if (status === 'live') return flow.spelling.live;
  if (status === 'partially_filled') return flow.spelling.partial;
  if (status === 'cancelled') return flow.spelling.cancelled;
  return status;
}

/**
 * Asserts the push items are exactly the committed changes of (uid, flow's category) after
 * `fromSeq`, in commit order: none missing, none twice, none out of order.
 */
export function assertMatchesCommits(flow: Flow, items: any[], committed: Committed[], uid: string, fromSeq: number): void {
  const truth = committed.filter((c) => c.uid === uid && c.category === flow.category && c.seq > fromSeq).map((c) => `${c.orderId} ${spell(flow, c.status)}`);
  const got = items.map((i) => `${i.orderId} ${flow.status(i)}`);
  assert.deepEqual(got, truth, 'pushes differ from the committed events (order, missing or twice)');
}
