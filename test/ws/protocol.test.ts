/**
 * The WebSocket connection protocol over a real listening server: paths, ping/pong, login
 * (string and numeric timestamps, every refusal with its numeric code, then close), 30003 on a
 * public path, 30004 before login, acks echoing the arg, strict arrival order, not-yet-served
 * channels answering 30001.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, loginFrame, startWsServer, until, wsSign, type WsTestServer } from './helpers.js';

const SPOT_ORDERS = { instType: 'SPOT', channel: 'orders', instId: 'default' };

describe('WebSocket protocol', { timeout: 60_000 }, () => {
  let s: WsTestServer;
  const clients: TestClient[] = [];
  const open = async (path: string) => {
    const c = await TestClient.open(`${s.wsBase}${path}`);
    clients.push(c);
    return c;
  };

  before(async () => {
    s = await startWsServer();
  });
  after(async () => {
    for (const c of clients) c.close();
    await s?.close();
  });

  it('serves the four Bitget paths; any other upgrade path answers HTTP 404', async () => {
    for (const p of ['/v2/ws/public', '/v2/ws/private', '/v3/ws/public', '/v3/ws/private']) {
      const c = await open(p);
      c.send('ping');
      assert.equal(await c.next(), 'pong', p);
    }
    for (const p of ['/v2/ws/other', '/ws', '/api/v2/spot/public/symbols']) {
      await assert.rejects(TestClient.open(`${s.wsBase}${p}`), (e: Error & { status?: number }) => e.status === 404);
    }
  });

  it('answers text ping with text pong at once, before queued work', async () => {
    const c = await open('/v2/ws/private');
    c.send(loginFrame(s.classic));
    c.send('ping');
    const first = await c.next();
    const second = await c.next();
    assert.ok([first, second].includes('pong'));
    assert.deepEqual([first, second].find((f) => f !== 'pong'), { event: 'login', code: 0, msg: '' });
  });

  it('logs in with a timestamp in seconds as a string (ccxt) or a number (bitget-api), code numeric 0', async () => {
    for (const numeric of [false, true]) {
      const c = await open('/v2/ws/private');
      c.send({ ...loginFrame(s.classic, { numeric }), url: 'ws://x/v2/ws/private' }); // ccxt's extra key
      const f = await c.next();
      assert.deepEqual(f, { event: 'login', code: 0, msg: '' });
      assert.equal(typeof f.code, 'number');
    }
    const u = await open('/v3/ws/private');
    u.send(loginFrame(s.unified, { numeric: true }));
    assert.deepEqual(await u.next(), { event: 'login', code: 0, msg: '' });
  });

  it('a read-only key logs in (no channel places orders)', async () => {
    const c = await open('/v2/ws/private');
    c.send(loginFrame(s.readOnly));
    assert.deepEqual(await c.next(), { event: 'login', code: 0, msg: '' });
  });

  const refusals: Array<[string, () => object, number, string]> = [
    ['a wrong sign', () => loginFrame(s.classic, { sign: wsSign('not-the-secret', Math.round(Date.now() / 1000)) }), 30015, '/v2/ws/private'],
    ['a timestamp 60 s old', () => loginFrame(s.classic, { ts: Math.round(Date.now() / 1000) - 60 }), 30014, '/v2/ws/private'],
    ['a malformed timestamp', () => ({ op: 'login', args: [{ apiKey: s.classic.apiKey, passphrase: s.classic.passphrase, timestamp: 'soon', sign: 'x' }] }), 30013, '/v2/ws/private'],
    ['an unknown key', () => ({ ...loginFrame(s.classic), args: [{ ...(loginFrame(s.classic) as any).args[0], apiKey: 'bg_nope' }] }), 30011, '/v2/ws/private'],
    ['a wrong passphrase', () => ({ ...loginFrame(s.classic), args: [{ ...(loginFrame(s.classic) as any).args[0], passphrase: 'wrong' }] }), 30012, '/v2/ws/private'],
    ['a classic key on /v3', () => loginFrame(s.classic), 30005, '/v3/ws/private'],
    ['a unified key on /v2', () => loginFrame(s.unified), 30005, '/v2/ws/private'],
  ];
  for (const [what, frame, code, path] of refusals) {
    it(`refuses ${what} with ${code}, then closes`, async () => {
      const c = await open(path);
      c.send(frame());
      const f = await c.next();
      assert.equal(f.event, 'error');
      assert.equal(f.code, code);
      assert.equal(typeof f.msg, 'string');
      await c.waitClosed();
    });
  }

  it('account mode refusals carry the REST message', async () => {
    const c = await open('/v3/ws/private');
    c.send(loginFrame(s.classic));
    const f = await c.next();
    assert.match(f.msg, /Classic Account mode/);
  });

  it('refuses a revoked key with 30011', async () => {
    const { createKey } = await import('../../src/accounts/keys.js');
    const k = await createKey(s.og.store.keys, s.og.master, { uid: '1001', mode: 'classic', permission: 'trade', ips: [] });
    await s.og.keyring.refresh();
    const key = { uid: '1001', apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
    const ok = await open('/v2/ws/private');
    ok.send(loginFrame(key));
    assert.equal((await ok.next()).code, 0);
    await s.og.store.keys.revokeKey(k.apiKey, Date.now());
    await s.og.keyring.refresh();
    const c = await open('/v2/ws/private');
    c.send(loginFrame(key));
    assert.equal((await c.next()).code, 30011);
    await c.waitClosed();
  });

  it('refuses a key whitelisted for another IP with 30005 Invalid IP', async () => {
    const { createKey } = await import('../../src/accounts/keys.js');
    const k = await createKey(s.og.store.keys, s.og.master, { uid: '1001', mode: 'classic', permission: 'read', ips: ['10.0.0.7'] });
    await s.og.keyring.refresh();
    const c = await open('/v2/ws/private');
    c.send(loginFrame({ uid: '1001', apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase }));
    assert.deepEqual(await c.next(), { event: 'error', code: 30005, msg: 'Invalid IP' });
    await c.waitClosed();
  });

  it('login on a public path answers 30003 INVALID op:login and keeps the connection', async () => {
    for (const p of ['/v2/ws/public', '/v3/ws/public']) {
      const c = await open(p);
      c.send(loginFrame(s.classic));
      assert.deepEqual(await c.next(), { event: 'error', code: 30003, msg: 'INVALID op:login' });
      c.send('ping');
      assert.equal(await c.next(), 'pong');
    }
  });

  it('a private subscribe before login answers 30004 (also on a public path)', async () => {
    for (const p of ['/v2/ws/private', '/v2/ws/public']) {
      const c = await open(p);
      c.send({ op: 'subscribe', args: [SPOT_ORDERS] });
      const f = await c.next();
      assert.equal(f.event, 'error');
      assert.equal(f.code, 30004);
      assert.deepEqual(f.arg, SPOT_ORDERS);
    }
  });

  it('processes login + 3 subscribes sent back-to-back strictly in order; acks echo each arg', async () => {
    const c = await open('/v2/ws/private');
    const args = [
      SPOT_ORDERS,
      { instType: 'USDT-FUTURES', channel: 'orders', instId: 'default' },
      { channel: 'orders-crossed', instType: 'MARGIN', instId: 'BTCUSDT' },
    ];
    c.send(loginFrame(s.classic));
    for (const a of args) c.send({ op: 'subscribe', args: [a] });
    assert.deepEqual(await c.next(), { event: 'login', code: 0, msg: '' });
    for (const a of args) assert.deepEqual(await c.next(), { event: 'subscribe', arg: a });
  });

  it('v3: login then subscribe order with ccxt top-level uta:true ignored; several args in one frame ack one by one', async () => {
    const c = await open('/v3/ws/private');
    c.send(loginFrame(s.unified));
    c.send({ op: 'subscribe', args: [{ instType: 'UTA', topic: 'order' }], uta: true });
    assert.deepEqual(await c.next(), { event: 'login', code: 0, msg: '' });
    assert.deepEqual(await c.next(), { event: 'subscribe', arg: { instType: 'UTA', topic: 'order' } });
    const v2 = await open('/v2/ws/private');
    v2.send(loginFrame(s.classic));
    v2.send({ op: 'subscribe', args: [SPOT_ORDERS, { instType: 'SPOT', channel: 'orders', instId: 'ETHUSDT' }] });
    await v2.next();
    assert.deepEqual(await v2.next(), { event: 'subscribe', arg: SPOT_ORDERS });
    assert.deepEqual(await v2.next(), { event: 'subscribe', arg: { instType: 'SPOT', channel: 'orders', instId: 'ETHUSDT' } });
  });

  it('unsubscribe answers an unsubscribe ack', async () => {
    const c = await open('/v2/ws/private');
    c.send(loginFrame(s.classic));
    c.send({ op: 'subscribe', args: [SPOT_ORDERS] });
    c.send({ op: 'unsubscribe', args: [SPOT_ORDERS] });
    await c.next();
    await c.next();
    assert.deepEqual(await c.next(), { event: 'unsubscribe', arg: SPOT_ORDERS });
  });

  it('channels not yet served answer 30001 naming the channel, never a silent ack', async () => {
    const c = await open('/v2/ws/private');
    c.send(loginFrame(s.classic));
    await c.next();
    const cases = [
      { instType: 'USDT-FUTURES', channel: 'orders-algo', instId: 'default' },
      { instType: 'USDT-FUTURES', channel: 'positions-history', instId: 'default' },
      { instType: 'SPOT', channel: 'ticker', instId: 'BTCUSDT' },
      { instType: 'SPOT', channel: 'candle1m', instId: 'BTCUSDT' },
    ];
    c.send({ op: 'subscribe', args: cases });
    for (const a of cases) {
      const f = await c.next();
      assert.equal(f.event, 'error');
      assert.equal(f.code, 30001);
      assert.match(f.msg, new RegExp(`channel:${a.channel}.*not yet served`));
      assert.deepEqual(f.arg, a);
    }
    const u = await open('/v3/ws/public'); // public topics need no login
    u.send({ op: 'subscribe', args: [{ instType: 'usdt-futures', topic: 'ticker', symbol: 'BTCUSDT' }] });
    const f = await u.next();
    assert.equal(f.code, 30001);
    assert.match(f.msg, /topic:ticker.*not yet served/);
  });

  it('unknown channels, ops and malformed frames answer 30001 / 30003 / 30016', async () => {
    const c = await open('/v2/ws/private');
    c.send(loginFrame(s.classic));
    await c.next();
    c.send({ op: 'subscribe', args: [{ instType: 'SPOT', channel: 'nope', instId: 'default' }] });
    assert.equal((await c.next()).code, 30001);
    c.send({ op: 'subscribe', args: [{ instType: 'SPOT', channel: 'orders', instId: 'NOPEUSDT' }] });
    assert.equal((await c.next()).code, 30016);
    c.send({ op: 'subscribe', args: [{ instType: 'UTA', topic: 'order' }] }); // a v3 topic on a v2 path
    assert.equal((await c.next()).code, 30001);
    c.send({ op: 'trade', args: [{}] });
    assert.deepEqual(await c.next(), { event: 'error', code: 30003, msg: 'INVALID op:trade' });
    c.send('{not json');
    assert.equal((await c.next()).code, 30016);
    c.send('ping');
    assert.equal(await c.next(), 'pong');
  });

  it('closing the app closes every connection', async () => {
    const extra = await startWsServer();
    const c = await TestClient.open(`${extra.wsBase}/v2/ws/public`);
    clients.push(c);
    await until(() => extra.og.ws.connections === 1);
    await extra.close();
    await c.waitClosed();
  });
});
