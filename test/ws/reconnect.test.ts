// test-file-limit: 240s
/**
 * Reconnect with nothing missed (issue 12 "Done when"), with the real engine on the suite's
 * store: a bot places and cancels orders continuously while the test cuts its WebSocket
 * mid-stream (server side `terminateAll`, then the client's own socket destroyed). The
 * unchanged client reconnects by itself (ccxt pro when the bot re-calls `watchOrders`; the
 * bitget-api SDK on its own), logs in and re-subscribes. Bitget's order channel sends no
 * snapshot on subscribe, so the bot recovers by REST as README "What a bot must do on
 * reconnect" says: after the new subscribe is acknowledged, list the open orders, and look up
 * each order it believed open that the list no longer holds. Asserted: the bot's view (its own
 * placements + the pushes + that REST state) equals the store's truth for every order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKey } from '../helpers.js';
import { MIX } from './flows.js';
import { rest, startWsServer, until, type WsTestServer } from './helpers.js';
import { ccxtPro, sdkV2, type Receiver } from './receivers.js';

/** A bot's view of one order: open / closed (filled) / canceled, and the filled amount. */
type View = { status: 'open' | 'closed' | 'canceled'; filled: string };

/** A bot's order book: a final status is never overwritten by a late push of an older state. */
class Book {
  readonly orders = new Map<string, View>();
  set(id: string, v: View): void {
    const old = this.orders.get(id);
    if (old && old.status !== 'open') return;
    if (old && v.status === 'open' && Number(v.filled) < Number(old.filled)) return;
    this.orders.set(id, v);
  }
  open(): string[] {
    return [...this.orders].filter(([, v]) => v.status === 'open').map(([id]) => id);
  }
}

const fromMix = (status: string, filled: string): View => ({
  status: status === 'canceled' || status === 'cancelled' ? 'canceled' : status === 'filled' ? 'closed' : 'open',
  filled: String(Number(filled)),
});

describe('reconnect mid-stream with nothing missed', { timeout: 220_000 }, () => {
  let s: WsTestServer;
  const receivers: Receiver[] = [];
  before(async () => {
    s = await startWsServer({}, { realBus: true });
  });
  after(async () => {
    for (const r of receivers) await r.close().catch(() => undefined);
    await s?.close();
  });

  /** The store's truth for `ids`. */
  async function truth(k: TestKey, ids: string[]): Promise<Map<string, View>> {
    const m = new Map<string, View>();
    for (const id of ids) {
      const o = await s.og.store.getOrder(k.uid, { orderId: id });
      assert.ok(o, id);
      m.set(id, fromMix(o.status, o.filledSize));
    }
    return m;
  }

  /**
   * The bot's trading: 30 rounds of placing 2 orders (recorded from the REST answer), filling
   * one partly and cancelling an older one; `cut(round)` is called at rounds 8 and 18 (the
   * second cut waits until the client is subscribed again, trading going on meanwhile).
   */
  async function trade(k: TestKey, book: Book, cut: (round: number) => Promise<void>): Promise<string[]> {
    const ids: string[] = [];
    for (let round = 0; round < 30; round++) {
      const placed = await MIX.placeMany(s.baseUrl, k, 2);
      for (const id of placed) book.set(id, { status: 'open', filled: '0' });
      ids.push(...placed);
      if (round % 3 === 0) await s.og.engine.fill(placed[0], '0.004');
      if (round > 2) await MIX.cancelMany(s.baseUrl, k, [ids[ids.length - 5]]);
      if (round === 8 || round === 18) await cut(round);
      await new Promise((r) => setTimeout(r, 15));
    }
    return ids;
  }

  it('ccxt pro: watchOrders re-sent after the drop reconnects; fetchOpenOrders + fetchOrder fill the gap', async () => {
    const k = s.classic;
    const r = await ccxtPro(s.baseUrl, k, false, 'BTC/USDT:USDT');
    receivers.push(r);
    const book = new Book();
    const applied = new Set<unknown>();
    // pushes -> book (what watchOrders resolved with)
    const pump = setInterval(() => {
      for (const o of r.parsed) {
        if (applied.has(o)) continue;
        applied.add(o);
        book.set(String(o.id), { status: o.status, filled: String(o.filled) });
      }
    }, 5);
    // the reconnect rule: after each new subscribe ack, REST tells what the gap hid
    let reconciled = 1;
    let reconciles = 0;
    let busy = false;
    const watcher = setInterval(async () => {
      if (busy || r.acks <= reconciled) return;
      busy = true;
      try {
        reconciled = r.acks;
        const open = await r.ex.fetchOpenOrders('BTC/USDT:USDT');
        const openIds = new Set(open.map((o) => String(o.id)));
        for (const o of open) book.set(String(o.id), { status: o.status as View['status'], filled: String(o.filled) });
        for (const id of book.open()) {
          if (openIds.has(id)) continue;
          const o = await r.ex.fetchOrder(id, 'BTC/USDT:USDT');
          book.set(id, { status: o.status as View['status'], filled: String(o.filled) });
        }
        reconciles++;
      } finally {
        busy = false;
      }
    }, 20);
    try {
      const ids = await trade(k, book, async (round) => {
        if (round === 8) assert.ok(s.og.ws.terminateAll() >= 1);
        else {
          await until(() => r.acks >= 2, 20_000);
          // the client's own socket destroyed
          for (const c of Object.values((r.ex as any).clients) as any[]) c.connection?.terminate();
        }
      });
      const want = await truth(k, ids);
      await until(() => reconciles >= 2 && !busy && ids.every((id) => JSON.stringify(book.orders.get(id)) === JSON.stringify(want.get(id))), 30_000).catch(() => undefined);
      assert.deepEqual(new Map(ids.map((id) => [id, book.orders.get(id)])), want, "the bot's view is the truth");
      assert.ok(r.errors.length >= 2, `watchOrders rejected on each drop (${r.errors.length})`);
      assert.ok(r.acks >= 3 && reconciles >= 2, `re-subscribed after each drop (acks ${r.acks}, reconciles ${reconciles})`);
      assert.ok(r.logins >= 3, `logged in again (${r.logins})`);
    } finally {
      clearInterval(pump);
      clearInterval(watcher);
    }
  });

  it('bitget-api WebsocketClientV2 reconnects by itself; orders-pending + detail fill the gap', async () => {
    const k = s.classic;
    await MIX.cancelAll(s.baseUrl, k);
    const r = await sdkV2(s.baseUrl, k, 'USDT-FUTURES', 'orders');
    receivers.push(r);
    const book = new Book();
    let applied = 0;
    const pump = setInterval(() => {
      for (; applied < r.items.length; applied++) {
        const i = r.items[applied];
        book.set(i.orderId, fromMix(i.status, i.accBaseVolume));
      }
    }, 5);
    let reconciled = 1;
    let reconciles = 0;
    let busy = false;
    const watcher = setInterval(async () => {
      if (busy || r.acks <= reconciled) return;
      busy = true;
      try {
        reconciled = r.acks;
        const pending = await rest(s.baseUrl, k, 'GET', '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES&limit=100');
        const list: any[] = pending.data.entrustedList ?? [];
        const openIds = new Set(list.map((o) => o.orderId));
        for (const o of list) book.set(o.orderId, fromMix(o.status, o.baseVolume));
        for (const id of book.open()) {
          if (openIds.has(id)) continue;
          const d = (await rest(s.baseUrl, k, 'GET', `/api/v2/mix/order/detail?symbol=BTCUSDT&productType=USDT-FUTURES&orderId=${id}`)).data;
          book.set(id, fromMix(d.state, d.baseVolume));
        }
        reconciles++;
      } finally {
        busy = false;
      }
    }, 20);
    try {
      const ids = await trade(k, book, async (round) => {
        if (round === 18) await until(() => r.acks >= 2, 20_000);
        assert.ok(s.og.ws.terminateAll() >= 1);
      });
      const want = await truth(k, ids);
      await until(() => reconciles >= 2 && !busy && ids.every((id) => JSON.stringify(book.orders.get(id)) === JSON.stringify(want.get(id))), 30_000).catch(() => undefined);
      assert.deepEqual(new Map(ids.map((id) => [id, book.orders.get(id)])), want, "the bot's view is the truth");
      assert.ok(r.reconnects >= 2, `reconnected after each drop (${r.reconnects})`);
      assert.ok(r.logins >= 3 && r.acks >= 3, `logged in and re-subscribed again (logins ${r.logins}, acks ${r.acks})`);
    } finally {
      clearInterval(pump);
      clearInterval(watcher);
    }
  });
});
