// test-file-limit: 180s
/**
 * Cancel-on-disconnect on the private WebSocket (ordergate's extension, src/ws/cod.ts), on the
 * suite's store: a client with it armed has its TCP connection cut (socket.destroy) — its UID's
 * orders are cancelled after the grace window and not before; a reconnect + re-arm inside the
 * window cancels the pending fire; a clean logout never fires; `account` scope re-arms on login;
 * a connection closed for missing its pings (idle close) fires too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loginFrame, TestClient } from '../ws/helpers.js';
import { Engine } from '../../src/engine/engine.js';
import { SwitchService } from '../../src/switches/service.js';
import { call, placeMix, startTestServer, type TestKey, type TestServer } from '../helpers.js';

let s: TestServer;
let wsBase: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(50);
  }
}

async function statusOf(srv: TestServer, uid: string, orderId: string): Promise<string> {
  return (await srv.og.store.getOrder(uid, { orderId }))?.status ?? 'missing';
}

/** A logged-in private v2 client of `key` on `base`. */
async function connect(base: string, key: TestKey): Promise<TestClient> {
  const c = await TestClient.open(`${base}/v2/ws/private`);
  c.send(loginFrame(key));
  assert.deepEqual(await c.next(), { event: 'login', code: 0, msg: '' });
  return c;
}

async function arm(c: TestClient, arg: object): Promise<void> {
  c.send({ op: 'cancel-on-disconnect', args: [arg] });
  const f = await c.next();
  assert.equal(f.event, 'cancel-on-disconnect', JSON.stringify(f));
  assert.equal(f.code, 0);
}

/** Cuts the TCP connection under the WebSocket (no close frame). */
function cut(c: TestClient): void {
  (c.ws as unknown as { _socket: { destroy(): void } })._socket.destroy();
}

const clients: TestClient[] = [];
async function open(key: TestKey, base = wsBase): Promise<TestClient> {
  const c = await connect(base, key);
  clients.push(c);
  return c;
}

before(async () => {
  s = await startTestServer({ switchSweepMs: 100 });
  wsBase = (await s.og.app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws');
});
after(async () => {
  for (const c of clients) c.close();
  await s?.close();
});

describe('cancel-on-disconnect (ordergate extension)', () => {
  test('the op needs a login and a valid arg; answers with the settings', async () => {
    const c = await TestClient.open(`${wsBase}/v2/ws/private`);
    clients.push(c);
    c.send({ op: 'cancel-on-disconnect', args: [{ window: '5' }] });
    assert.equal((await c.next()).code, 30004);
    c.send(loginFrame(s.readOnly));
    await c.next();
    for (const bad of [{ window: '301' }, { window: 'x' }, { scope: 'socket' }, { enable: 'no' }]) {
      c.send({ op: 'cancel-on-disconnect', args: [bad] });
      assert.equal((await c.next()).code, 30016, JSON.stringify(bad));
    }
    c.send({ op: 'cancel-on-disconnect', args: [{}] });
    assert.deepEqual(await c.next(), { event: 'cancel-on-disconnect', arg: { enable: true, scope: 'connection', window: '10' }, code: 0, msg: '' });
    c.send({ op: 'cancel-on-disconnect', args: [{ enable: false }] });
    assert.deepEqual(await c.next(), { event: 'cancel-on-disconnect', arg: { enable: false }, code: 0, msg: '' });
    const pub = await TestClient.open(`${wsBase}/v2/ws/public`);
    clients.push(pub);
    pub.send({ op: 'cancel-on-disconnect', args: [{}] });
    assert.equal((await pub.next()).code, 30003);
  });

  test('TCP cut: the orders are cancelled after the window, not before', async () => {
    const k = s.classic;
    const c = await open(k);
    await arm(c, { scope: 'connection', window: '2' });
    // a second connection of the UID, not armed, watches the orders channel
    const watcher = await open(k);
    const arg = { instType: 'USDT-FUTURES', channel: 'orders', instId: 'default' };
    watcher.send({ op: 'subscribe', args: [arg] });
    assert.deepEqual(await watcher.next(), { event: 'subscribe', arg });
    const ids = await placeMix(s, k, 3);
    const cutAt = Date.now();
    cut(c);
    await sleep(1_000);
    for (const id of ids) assert.equal(await statusOf(s, k.uid, id), 'live', 'cancelled before the window ended');
    await until(async () => (await statusOf(s, k.uid, ids[2])) === 'cancelled', 10_000);
    assert.ok(Date.now() - cutAt >= 2_000);
    for (const id of ids) assert.equal((await s.og.store.getOrder(k.uid, { orderId: id }))?.cancelReason, 'cancel_on_disconnect');
    // the pushes of the cancels carry the switch's cancelReason
    await until(async () => {
      const pushed = watcher.frames.flatMap((f: any) => (f?.action ? f.data : [])).filter((d: any) => d.status === 'canceled' || d.status === 'cancelled');
      return ids.every((id) => pushed.some((d: any) => d.orderId === id && d.cancelReason === 'cancel_on_disconnect'));
    }, 5_000);
    const sw = (await call(s, k, 'GET', '/api/ordergate/v1/switches')).body.data.find((x: { kind: string }) => x.kind === 'disconnect');
    assert.equal(sw.codScope, 'connection');
    await until(async () => (await call(s, k, 'GET', '/api/ordergate/v1/switches')).body.data.find((x: { kind: string }) => x.kind === 'disconnect').lastFire !== null, 5_000);
  });

  test('a reconnect + re-arm inside the window cancels the pending fire; a clean logout never fires', async () => {
    const k = s.other;
    const c = await open(k);
    await arm(c, { window: '3' });
    const ids = await placeMix(s, k, 2);
    cut(c);
    await sleep(500);
    const again = await open(k);
    await arm(again, { window: '3' });
    await sleep(4_000);
    for (const id of ids) assert.equal(await statusOf(s, k.uid, id), 'live', 'fired although re-armed in the window');
    // a second armed connection: cutting one of two does not fire
    const second = await open(k);
    await arm(second, { window: '1' });
    cut(second);
    await sleep(2_000);
    assert.equal(await statusOf(s, k.uid, ids[0]), 'live');
    // clean logout of the last armed connection: no fire
    again.send({ op: 'logout' });
    assert.deepEqual(await again.next(), { event: 'logout', code: 0, msg: '' });
    await again.waitClosed();
    await sleep(4_000);
    for (const id of ids) assert.equal(await statusOf(s, k.uid, id), 'live', 'fired after a clean logout');
  });

  test('account scope: a login alone re-arms; the next cut fires', async () => {
    const k = s.unified;
    const base = wsBase;
    const c = await TestClient.open(`${base}/v3/ws/private`);
    clients.push(c);
    c.send(loginFrame(k));
    await c.next();
    await arm(c, { scope: 'account', window: '2' });
    const r = await call(s, k, 'POST', '/api/v3/trade/place-order', { category: 'SPOT', symbol: 'BTCUSDT', qty: '0.01', price: '30000', side: 'buy', orderType: 'limit' });
    const id = r.body.data.orderId as string;
    cut(c);
    await sleep(300);
    const d = await TestClient.open(`${base}/v3/ws/private`);
    clients.push(d);
    d.send(loginFrame(k));
    await d.next();
    await sleep(3_000);
    assert.equal(await statusOf(s, k.uid, id), 'live', 'fired although the account-scope login re-armed');
    cut(d);
    await until(async () => (await statusOf(s, k.uid, id)) === 'cancelled', 10_000);
  });

  test('missing pings (the idle close) counts as a disconnect', async () => {
    const idle = await startTestServer({ switchSweepMs: 100, ws: { idleMs: 1_000 } });
    try {
      const base = (await idle.og.app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws');
      const k = idle.classic;
      const c = await connect(base, k);
      clients.push(c);
      await arm(c, { window: '1' });
      const ids = await placeMix(idle, k, 2);
      await c.waitClosed(10_000); // no ping within 1 s: the server closes it
      await until(async () => (await statusOf(idle, k.uid, ids[1])) === 'cancelled', 10_000);
    } finally {
      await idle.close();
    }
  });

  test('the instance holding the armed connection dies: another instance fires after lease + window', async () => {
    const k = s.otherUnified;
    const r = await call(s, k, 'POST', '/api/v3/trade/place-order', { category: 'SPOT', symbol: 'BTCUSDT', qty: '0.01', price: '30000', side: 'buy', orderType: 'limit' });
    const id = r.body.data.orderId as string;
    // "instance X": its own service on the same store, one armed connection, renewing its lease
    const x = new SwitchService(new Engine(s.og.store, s.og.engine.catalogue), { codLeaseMs: 1_000 });
    await x.codArm(k.uid, {}, 'connection', 1_000);
    for (let i = 0; i < 6; i++) {
      await sleep(300);
      await x.renewDisconnects();
    }
    assert.equal(await statusOf(s, k.uid, id), 'live', 'fired while the lease was renewed');
    const diedAt = Date.now(); // X stops renewing (SIGKILL): no close, no logout
    await sleep(500);
    assert.equal(await statusOf(s, k.uid, id), 'live', 'fired before lease + window');
    await until(async () => (await statusOf(s, k.uid, id)) === 'cancelled', 10_000);
    assert.ok(Date.now() - diedAt >= 1_000);
    assert.equal((await s.og.store.getOrder(k.uid, { orderId: id }))?.cancelReason, 'cancel_on_disconnect');
  });
});
