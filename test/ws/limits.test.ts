/**
 * Bitget's WebSocket limits with their codes: messages per second (30006 drop, 30007 close),
 * connections per IP (HTTP 429), channels per connection, subscribes per hour, and the
 * no-ping and forced-age closes (shortened through config).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient, loginFrame, startWsServer, type WsTestServer } from './helpers.js';

describe('WebSocket limits', { timeout: 60_000 }, () => {
  let s: WsTestServer;
  const clients: TestClient[] = [];
  const open = async (srv: WsTestServer, path: string) => {
    const c = await TestClient.open(`${srv.wsBase}${path}`);
    clients.push(c);
    return c;
  };

  before(async () => {
    // Bitget's per-second and per-connection numbers; a small IP cap and hourly cap to reach them quickly
    s = await startWsServer({ rateLimit: true, ws: { connectionsPerIp: 4, subscribesPerHour: 3, channelsPerConnection: 2 } });
  });
  after(async () => {
    for (const c of clients) c.close();
    await s?.close();
  });

  it('over 10 messages in a second: the extra frames are dropped with 30006, the first 10 answered', async () => {
    const c = await open(s, '/v2/ws/public');
    for (let i = 0; i < 15; i++) c.send({ op: 'nope' });
    const frames = [];
    for (let i = 0; i < 15; i++) frames.push(await c.next());
    const codes = frames.map((f) => f.code);
    assert.equal(codes.filter((x) => x === 30003).length, 10, JSON.stringify(codes));
    assert.equal(codes.filter((x) => x === 30006).length, 5, JSON.stringify(codes));
    c.close();
  });

  it('far over the rate (more than 30 in a second): 30007, then the connection is closed', async () => {
    const c = await open(s, '/v2/ws/public');
    for (let i = 0; i < 40; i++) c.send('ping');
    await c.waitClosed();
    assert.ok(c.frames.some((f: any) => f?.code === 30007), JSON.stringify(c.frames));
  });

  it('connections per IP over the cap: the upgrade answers HTTP 429', async () => {
    const own: TestClient[] = [];
    try {
      // earlier tests' sockets may still be closing: wait for the count to settle under the cap
      for (let i = 0; i < 50 && s.og.ws.connections > 0; i++) await new Promise((r) => setTimeout(r, 20));
      for (let i = 0; i < 4; i++) own.push(await TestClient.open(`${s.wsBase}/v2/ws/public`));
      await assert.rejects(TestClient.open(`${s.wsBase}/v2/ws/public`), (e: Error & { status?: number }) => e.status === 429);
    } finally {
      for (const c of own) c.close();
    }
  });

  it('channels per connection and subscribes per hour over the cap answer 30006', async () => {
    for (let i = 0; i < 50 && s.og.ws.connections > 0; i++) await new Promise((r) => setTimeout(r, 20));
    const c = await open(s, '/v2/ws/private');
    c.send(loginFrame(s.classic));
    await c.next();
    const a = (instId: string) => ({ instType: 'SPOT', channel: 'orders', instId });
    c.send({ op: 'subscribe', args: [a('default'), a('BTCUSDT'), a('ETHUSDT')] });
    assert.equal((await c.next()).event, 'subscribe');
    assert.equal((await c.next()).event, 'subscribe');
    const third = await c.next();
    assert.equal(third.code, 30006);
    assert.deepEqual(third.arg, a('ETHUSDT'));
    c.send({ op: 'subscribe', args: [a('default')] }); // 2nd subscribe request (already held: acked)
    assert.equal((await c.next()).event, 'subscribe');
    c.send({ op: 'subscribe', args: [a('default')] }); // 3rd
    assert.equal((await c.next()).event, 'subscribe');
    c.send({ op: 'subscribe', args: [a('default')] }); // 4th: over 3 per hour
    assert.equal((await c.next()).code, 30006);
    c.close();
  });

  it('connection attempts per IP over the 5-minute cap: the upgrade answers HTTP 429', async () => {
    const srv = await startWsServer({ rateLimit: true, ws: { connectsPerIpPer5Min: 2 } });
    try {
      for (let i = 0; i < 2; i++) (await open(srv, '/v2/ws/public')).close();
      await assert.rejects(TestClient.open(`${srv.wsBase}/v2/ws/public`), (e: Error & { status?: number }) => e.status === 429);
    } finally {
      await srv.close();
    }
  });

  it('closes a connection that sends no ping within the idle limit; pings keep it open', async () => {
    const srv = await startWsServer({ ws: { idleMs: 600 } });
    try {
      const quiet = await open(srv, '/v2/ws/public');
      const chatty = await open(srv, '/v2/ws/public');
      const timer = setInterval(() => chatty.send('ping'), 100);
      try {
        await quiet.waitClosed(10_000);
        assert.equal(chatty.closed, null);
      } finally {
        clearInterval(timer);
      }
    } finally {
      await srv.close();
    }
  });

  it('forces a disconnect after the maximum age (Bitget: 24 h)', async () => {
    const srv = await startWsServer({ ws: { maxAgeMs: 300 } });
    try {
      const c = await open(srv, '/v2/ws/public');
      const timer = setInterval(() => c.send('ping'), 50);
      try {
        await c.waitClosed(10_000);
      } finally {
        clearInterval(timer);
      }
    } finally {
      await srv.close();
    }
  });
});
