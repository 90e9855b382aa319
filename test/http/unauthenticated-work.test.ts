/**
 * Work an unauthenticated client can make the server do, over real sockets: the auth headers
 * are checked before any body byte is read, JSON is parsed only after the signature verifies,
 * request bodies in flight and connections are capped, and failed authentications are limited
 * per IP without touching other IPs' valid keys.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/http/server.js';
import { NoRateLimiter } from '../../src/http/ratelimit.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { authHeaders } from '../reliability/drivers.js';

const PLACE = '/api/v2/mix/order/place-order';
const PENDING = '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES';
const MiB = 1024 * 1024;

let s: TestServer;
let port: number;
before(async () => {
  s = await startTestServer({ bodyBytesInFlight: 256 * 1024 });
  await s.og.app.listen({ port: 0, host: '127.0.0.1' });
  port = (s.og.app.server.address() as AddressInfo).port;
});
after(() => s.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/**
 * Sends a request head announcing `contentLength` body bytes, then only `sent` of them, and
 * waits (without ever finishing the body) for the server's complete answer.
 */
function halfSent(p: number, path: string, headers: Record<string, string>, contentLength: number, sent: number, method = 'POST'): Promise<{ answer: RawAnswer; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(p, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => reject(new Error(`no answer to a half-sent body within 20 s: ${JSON.stringify(data)}`)), 20_000);
    socket.on('error', () => undefined); // the server may close after answering
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = data.slice(0, end).split('\r\n');
      const hs: Record<string, string> = {};
      for (const l of lines.slice(1)) hs[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      const len = Number(hs['content-length']);
      if (data.length - end - 4 < len) return;
      clearTimeout(timer);
      resolve({ answer: { status: Number(lines[0]!.split(' ')[1]), headers: hs, body: JSON.parse(data.slice(end + 4, end + 4 + len)) }, socket });
    });
    const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${contentLength}`]
      .concat(Object.entries(headers).map(([k, v]) => `${k}: ${v}`))
      .join('\r\n');
    socket.write(`${head}\r\n\r\n`);
    socket.write(Buffer.alloc(sent, 0x20));
  });
}

test('an unsigned 1 MiB body is refused from its headers, before the client has sent it', { timeout: 60_000 }, async () => {
  const unknownKey = { 'access-key': 'bg_nobody', 'access-passphrase': 'x', 'access-timestamp': String(Date.now()), 'access-sign': 'AAAA' };
  for (const [headers, code] of [
    [{}, '40001'],
    [unknownKey, '40006'],
    [{ ...unknownKey, 'access-timestamp': String(Date.now() - 120_000) }, '40008'],
  ] as const) {
    const { answer, socket } = await halfSent(port, PLACE, headers, MiB, 64 * 1024);
    try {
      assert.equal(answer.status, 400);
      assert.equal(answer.body.code, code, JSON.stringify(answer.body));
      assert.equal(answer.body.data, null);
      assert.equal(answer.headers.connection, 'close', 'the rest of the body is not read');
    } finally {
      socket.destroy();
    }
  }
});

test('a body nobody uses (an unknown path, a public GET) is not read: answered while half-sent', { timeout: 60_000 }, async () => {
  for (const [method, path, status, code] of [
    ['POST', '/api/v2/nowhere', 404, '40404'],
    ['GET', '/api/v2/public/time', 200, '00000'],
  ] as const) {
    const { answer, socket } = await halfSent(port, path, {}, MiB, 64 * 1024, method);
    try {
      assert.equal(answer.status, status);
      assert.equal(answer.body.code, code, JSON.stringify(answer.body));
      assert.equal(answer.headers.connection, 'close');
    } finally {
      socket.destroy();
    }
  }
});

test('JSON is parsed only after the signature verifies: malformed JSON with a bad signature is 40009, with a good one 40017', { timeout: 60_000 }, async () => {
  const body = '{"symbol": "BTCUSDT",';
  const good = authHeaders(s.classic, 'POST', PLACE, body);
  const bad = { ...good, 'access-sign': authHeaders(s.classic, 'POST', PLACE, '{}')['access-sign']! };
  for (const [headers, code] of [
    [bad, '40009'],
    [good, '40017'],
  ] as const) {
    const r = await request(`http://127.0.0.1:${port}${PLACE}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const b = (await r.body.json()) as any;
    assert.equal(r.statusCode, 400);
    assert.equal(b.code, code, JSON.stringify(b));
  }
});

test('a signed request still works over a real socket (its body is read after the header check)', { timeout: 60_000 }, async () => {
  const body = JSON.stringify({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginMode: 'crossed', marginCoin: 'USDT', size: '0.01', side: 'buy', orderType: 'limit', force: 'gtc', price: '20000' });
  const r = await request(`http://127.0.0.1:${port}${PLACE}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...authHeaders(s.classic, 'POST', PLACE, body) } });
  const b = (await r.body.json()) as any;
  assert.equal(b.code, '00000', JSON.stringify(b));
});

test('body bytes in flight are capped: over the budget a request is refused with 429 before its body is read, and the budget comes back', { timeout: 60_000 }, async () => {
  // a caller with a known key holds 200 KiB of the 256 KiB budget by never finishing its body
  const holdBody = ' '.repeat(200 * 1024);
  const holder = connect(port, '127.0.0.1');
  holder.on('error', () => undefined);
  await new Promise<void>((r) => holder.once('connect', () => r()));
  const h = { 'content-type': 'application/json', 'content-length': String(holdBody.length), ...authHeaders(s.classic, 'POST', PLACE, holdBody) };
  holder.write(`POST ${PLACE} HTTP/1.1\r\nHost: x\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
  holder.write(holdBody.slice(0, 1024));
  try {
    const body = ' '.repeat(100 * 1024);
    let refused: RawAnswer | undefined;
    for (let i = 0; i < 100 && !refused; i++) {
      // the holder's reservation is made once its head is parsed: retry until it is
      const { answer, socket } = await halfSent(port, PLACE, authHeaders(s.classic, 'POST', PLACE, body), body.length, 1024);
      socket.destroy();
      if (answer.status === 429) refused = answer;
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(refused, 'a body over the in-flight budget was refused');
    assert.equal(refused.body.code, '429');
    assert.equal(refused.body.data, null);
    assert.equal(refused.headers.connection, 'close');
  } finally {
    holder.destroy();
  }
  // the holder's bytes are given back when its connection closes
  let code = '';
  for (let i = 0; i < 100 && code !== '00000'; i++) {
    const body = ' '.repeat(100 * 1024);
    const p = await request(`http://127.0.0.1:${port}/api/v2/mix/order/cancel-all-orders`, {
      method: 'POST',
      body: `{"productType":"USDT-FUTURES"}${body}`,
      headers: { 'content-type': 'application/json', ...authHeaders(s.classic, 'POST', '/api/v2/mix/order/cancel-all-orders', `{"productType":"USDT-FUTURES"}${body}`) },
    });
    code = ((await p.body.json()) as any).code;
    if (code !== '00000') await new Promise((res) => setTimeout(res, 50));
  }
  assert.equal(code, '00000');
});

test('connections are capped: over the cap a new connection is closed at once; freed slots are usable again', { timeout: 60_000 }, async () => {
  const app = buildServer({ services: {} as never, endpoints: [], limiter: new NoRateLimiter(), logLevel: 'silent', limits: { maxConnections: 2 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const p = (app.server.address() as AddressInfo).port;
  const open: Socket[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const c = connect(p, '127.0.0.1');
      await new Promise<void>((r) => c.once('connect', () => r()));
      open.push(c);
    }
    // wait until the server has counted both
    for (let i = 0; i < 200; i++) {
      const n = await new Promise<number>((r) => app.server.getConnections((_, c) => r(c)));
      if (n === 2) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const third = connect(p, '127.0.0.1');
    third.on('error', () => undefined);
    third.write('GET /api/v2/public/time HTTP/1.1\r\nHost: x\r\n\r\n');
    let got = '';
    third.on('data', (d) => (got += d.toString()));
    await new Promise<void>((r) => third.once('close', () => r()));
    assert.equal(got, '', 'the connection over the cap is closed without an answer');
    open.pop()!.destroy();
    let answered = false;
    for (let i = 0; i < 100 && !answered; i++) {
      const r = await request(`http://127.0.0.1:${p}/nowhere`, { reset: true }).catch(() => undefined);
      if (r) {
        assert.equal(r.statusCode, 404);
        await r.body.dump();
        answered = true;
      } else await new Promise((res) => setTimeout(res, 20));
    }
    assert.ok(answered, 'a freed slot is usable again');
  } finally {
    for (const c of open) c.destroy();
    await app.close();
  }
});

test('failed authentications are limited per IP; successes are not counted and other IPs keep working', { timeout: 60_000 }, async () => {
  const t = await startTestServer({ rateLimit: true, authFailures: 5 });
  try {
    const send = async (ip: string, good: boolean) => {
      const h = authHeaders(t.classic, 'GET', PENDING, '');
      if (!good) h['access-sign'] = authHeaders(t.classic, 'GET', `${PENDING}&x=1`, '')['access-sign']!;
      const res = await t.og.app.inject({ method: 'GET', url: PENDING, headers: h, remoteAddress: ip });
      return { status: res.statusCode, code: JSON.parse(res.body).code as string };
    };
    // successes from one IP interleaved with failures below the limit: never blocked
    for (let i = 0; i < 4; i++) {
      assert.equal((await send('10.0.0.1', false)).code, '40009');
      assert.equal((await send('10.0.0.1', true)).code, '00000');
    }
    assert.equal((await send('10.0.0.1', false)).code, '40009'); // the 5th failure
    // over the limit: the IP is refused before its credentials are looked at, even valid ones
    const blocked = await send('10.0.0.1', false);
    assert.deepEqual(blocked, { status: 429, code: '429' });
    assert.deepEqual(await send('10.0.0.1', true), { status: 429, code: '429' });
    // another IP with the same valid key is unaffected, and so are public endpoints
    assert.deepEqual(await send('10.0.0.2', true), { status: 200, code: '00000' });
    const pub = await t.og.app.inject({ method: 'GET', url: '/api/v2/public/time', remoteAddress: '10.0.0.1' });
    assert.equal(JSON.parse(pub.body).code, '00000');
  } finally {
    await t.close();
  }
});

test('the limits are read from the environment, with documented defaults, and bad values refuse to start', () => {
  const d = loadConfig({});
  assert.deepEqual([d.maxConnections, d.bodyBytesInFlight, d.authFailures], [1024, 32 * MiB, 30]);
  const c = loadConfig({ ORDERGATE_MAX_CONNECTIONS: '10', ORDERGATE_BODY_BYTES_IN_FLIGHT: '2048', ORDERGATE_AUTH_FAILURES: '0' });
  assert.deepEqual([c.maxConnections, c.bodyBytesInFlight, c.authFailures], [10, 2048, 0]);
  assert.throws(() => loadConfig({ ORDERGATE_MAX_CONNECTIONS: 'lots' }), /ORDERGATE_MAX_CONNECTIONS must be a non-negative integer/);
  assert.throws(() => loadConfig({ ORDERGATE_AUTH_FAILURES: '-1' }), /ORDERGATE_AUTH_FAILURES/);
});
