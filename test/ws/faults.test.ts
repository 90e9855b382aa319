// test-file-limit: 240s
/**
 * TEST-ONLY WebSocket faults (the `ws-*` entries of ORDERGATE_FAULTS, through Config.faults):
 * parsing; off unless set; a cut after N pushes and at a seeded probability (deterministic);
 * delayed frames (pong stays immediate); duplicated pushes; the 30033 notice then a close; the
 * forced disconnect early. Then the real clients: the bitget-api SDK and ccxt pro reconnect
 * after a cut, log in again and re-subscribe, and keep receiving pushes.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { parseFaults } from '../../src/http/faults.js';
import { prng, wsFaultsOn } from '../../src/ws/faults.js';
import { MIX } from './flows.js';
import { TestClient, loginFrame, order, startWsServer, until, type WsTestServer } from './helpers.js';
import { ccxtPro, sdkV2, type Receiver } from './receivers.js';

const SUB = { op: 'subscribe', args: [{ instType: 'SPOT', channel: 'orders', instId: 'default' }] };

/** A logged-in raw client subscribed to SPOT orders of `s.classic`. */
async function subscribed(s: WsTestServer): Promise<TestClient> {
  const c = await TestClient.open(`${s.wsBase}/v2/ws/private`);
  c.send(loginFrame(s.classic));
  assert.equal((await c.next()).event, 'login');
  c.send(SUB);
  assert.equal((await c.next()).event, 'subscribe');
  return c;
}

/** Publishes `n` spot orders of the classic UID on the fake bus; their ids. */
function publish(s: WsTestServer, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const o = order({ uid: s.classic.uid });
    ids.push(o.orderId);
    s.bus.publish({ kind: 'order.created', order: o });
  }
  return ids;
}

const pushIds = (c: TestClient) => c.frames.filter((f: any) => f?.action === 'snapshot').map((f: any) => f.data[0].orderId);

describe('WebSocket faults (ORDERGATE_FAULTS ws-*)', { timeout: 220_000 }, () => {
  const servers: WsTestServer[] = [];
  const receivers: Receiver[] = [];
  const start = async (faults: string | undefined, realBus = false) => {
    const s = await startWsServer({ faults }, { realBus });
    servers.push(s);
    return s;
  };
  after(async () => {
    for (const r of receivers) await r.close().catch(() => undefined);
    for (const s of servers) await s.close().catch(() => undefined);
  });

  it('parses the ws-* entries, refuses bad ones, and is off unless set', async () => {
    const spec = parseFaults('ws-drop-after:3,ws-drop:0.25,ws-delay:40,ws-dup:0.5,ws-upgrade:100,ws-upgrade-close:50,ws-max-age:900,seed:9').ws;
    assert.deepEqual(spec, { dropAfter: 3, drop: 0.25, delayMs: 40, dup: 0.5, upgradeMs: 100, upgradeCloseMs: 50, maxAgeMs: 900, seed: 9 });
    assert.throws(() => parseFaults('ws-drop:2'), /ws-drop needs a probability/);
    assert.throws(() => parseFaults('ws-drop-after:x'), /ws-drop-after needs a non-negative integer/);
    assert.throws(() => parseFaults('ws-bogus:1'), /unknown entry 'ws-bogus:1'/);
    assert.equal(wsFaultsOn(parseFaults('429:0.1').ws), false);
    assert.equal(loadConfig({}).faults, undefined);
    assert.equal(loadConfig({ ORDERGATE_FAULTS: 'ws-dup:1' }).faults, 'ws-dup:1');
    const off = await start(undefined);
    assert.equal(off.og.ws.faults, undefined);
    const c = await subscribed(off);
    const ids = publish(off, 5);
    await until(() => pushIds(c).length === 5);
    assert.deepEqual(pushIds(c), ids);
    c.close();
  });

  it('ws-drop-after:N sends N pushes, then cuts the connection (1006) instead of the next', async () => {
    const s = await start('ws-drop-after:2');
    const c = await subscribed(s);
    const ids = publish(s, 4);
    const closed = await c.waitClosed();
    assert.equal(closed.code, 1006);
    assert.deepEqual(pushIds(c), ids.slice(0, 2));
    assert.equal(s.og.ws.faults?.cut, 1);
    // counted per connection: a new one gets 2 more
    const d = await subscribed(s);
    const more = publish(s, 3);
    await d.waitClosed();
    assert.deepEqual(pushIds(d), more.slice(0, 2));
  });

  it('ws-drop:p cuts at a seeded probability, the same way on every run', async () => {
    const p = 0.3;
    const seed = 11;
    // connection 0 draws from seed + 0: it gets the pushes before the first draw under p
    const rnd = prng(seed);
    let expected = 0;
    while (rnd() >= p) expected++;
    for (let run = 0; run < 2; run++) {
      const s = await start(`ws-drop:${p},seed:${seed}`);
      const c = await subscribed(s);
      const ids = publish(s, expected + 5);
      await c.waitClosed();
      assert.deepEqual(pushIds(c), ids.slice(0, expected), `run ${run}`);
    }
  });

  it('ws-delay:ms delays every answer and push, in order; pong stays immediate', async () => {
    const s = await start('ws-delay:1500');
    const c = await TestClient.open(`${s.wsBase}/v2/ws/private`);
    let t0 = Date.now();
    c.send('ping');
    assert.equal(await c.next(), 'pong');
    assert.ok(Date.now() - t0 < 1200, 'pong is not delayed');
    t0 = Date.now();
    c.send(loginFrame(s.classic));
    c.send(SUB);
    assert.equal((await c.next()).event, 'login');
    assert.ok(Date.now() - t0 >= 1450, `login answer delayed (${Date.now() - t0} ms)`);
    assert.equal((await c.next()).event, 'subscribe');
    t0 = Date.now();
    const ids = publish(s, 5);
    await until(() => pushIds(c).length === 5);
    assert.ok(Date.now() - t0 >= 1450, 'pushes delayed');
    assert.deepEqual(pushIds(c), ids);
    c.close();
  });

  it('ws-dup:1 sends every push twice; ws-dup:p duplicates the seeded ones', async () => {
    const s = await start('ws-dup:1');
    const c = await subscribed(s);
    const ids = publish(s, 3);
    await until(() => pushIds(c).length === 6);
    assert.deepEqual(pushIds(c), ids.flatMap((id) => [id, id]));
    assert.equal(s.og.ws.faults?.dup, 3);
    c.close();

    const rnd = prng(5);
    const twice = Array.from({ length: 10 }, () => rnd() < 0.5);
    const t = await start('ws-dup:0.5,seed:5');
    const d = await subscribed(t);
    const more = publish(t, 10);
    const want = more.flatMap((id, i) => (twice[i] ? [id, id] : [id]));
    await until(() => pushIds(d).length === want.length);
    assert.deepEqual(pushIds(d), want);
    d.close();
  });

  it('ws-upgrade:ms sends the 30033 notice, then closes (1001) ws-upgrade-close ms later', async () => {
    const s = await start('ws-upgrade:200,ws-upgrade-close:300');
    const c = await TestClient.open(`${s.wsBase}/v2/ws/public`);
    const t0 = Date.now();
    const notice = await c.next();
    assert.equal(notice.event, 'error');
    assert.equal(notice.code, 30033);
    assert.match(notice.msg, /service upgrade/);
    const at = Date.now();
    const closed = await c.waitClosed();
    assert.equal(closed.code, 1001);
    assert.ok(at - t0 >= 150 && Date.now() - at >= 250, 'notice after ~200 ms, close ~300 ms later');
    assert.equal(s.og.ws.faults?.upgrade, 1);
  });

  it('ws-max-age:ms forces the 24-hour disconnect early (close 1000)', async () => {
    const s = await start('ws-max-age:300');
    const c = await subscribed(s);
    const closed = await c.waitClosed(5000);
    assert.equal(closed.code, 1000);
    assert.match(closed.reason, /forced disconnect/);
  });

  it('bitget-api WebsocketClientV2 reconnects after a cut, logs in and re-subscribes, and keeps receiving', async () => {
    const s = await start('ws-drop-after:3', true);
    const r = await sdkV2(s.baseUrl, s.classic, 'USDT-FUTURES', 'orders');
    receivers.push(r);
    const ids: string[] = [];
    // one order at a time: every 4th push cuts the connection; the order it carried is lost
    for (let i = 0; i < 10; i++) {
      ids.push(await MIX.placeOne(s.baseUrl, s.classic, `f${i}`));
      await until(() => r.items.length + (s.og.ws.faults?.cut ?? 0) >= ids.length, 20_000);
      await until(() => s.og.ws.subscriptions === 1, 20_000);
    }
    assert.ok((s.og.ws.faults?.cut ?? 0) >= 2);
    assert.ok(r.reconnects >= 2, `reconnects ${r.reconnects}`);
    assert.ok(r.logins >= 3 && r.acks >= 3, `logins ${r.logins}, acks ${r.acks}`);
    assert.equal(r.items.length, ids.length - (s.og.ws.faults?.cut ?? 0), 'every push but the cut ones');
    assert.deepEqual(new Set(r.items.map((i) => i.orderId)).size, r.items.length);
  });

  it('ccxt pro: watchOrders rejects on a cut; called again it reconnects, logs in and re-subscribes', async () => {
    const s = await start('ws-drop-after:2', true);
    const r = await ccxtPro(s.baseUrl, s.classic, false, 'BTC/USDT:USDT');
    receivers.push(r);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(await MIX.placeOne(s.baseUrl, s.classic, `p${i}`));
      await until(() => r.items.length + (s.og.ws.faults?.cut ?? 0) >= ids.length, 20_000);
      await until(() => s.og.ws.subscriptions === 1, 20_000);
    }
    const cuts = s.og.ws.faults?.cut ?? 0;
    assert.ok(cuts >= 2, `cuts ${cuts}`);
    assert.ok(r.errors.length >= 2, `watchOrders rejected (${r.errors.length})`);
    assert.ok(r.logins >= 3 && r.acks >= 3, `logins ${r.logins}, acks ${r.acks}`);
    assert.equal(r.items.length, ids.length - cuts);
  });
});
