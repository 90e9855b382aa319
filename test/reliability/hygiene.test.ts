/**
 * Hygiene of a real server process: secrets and passphrases never reach the logs (even at
 * trace level) or the database files in plain text; every response and every request log
 * line carries a request id; body size, JSON depth and header size are limited; slow
 * clients (slowloris headers, trickled bodies, idle sockets) are cut off with a Bitget
 * envelope while other clients keep being served.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allEndpoints } from '../../src/http/routes/index.js';
import { MAX_HEADER_BYTES, buildServer } from '../../src/http/server.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { ensureCliBuilt, runCli } from '../support/children.js';
import {
  HttpSender,
  MIX_DIALECT,
  ROOT,
  ServerProcess,
  authHeaders,
  envelopeProblems,
  makeKeys,
  parseResponses,
  rawExchange,
  type Cred,
} from './drivers.js';

let dir: string;
let db: string;
let server: ServerProcess;
let keys: Record<'trade' | 'read', Cred>;
let port: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ordergate-hygiene-'));
  db = join(dir, 'ordergate.db');
  keys = await makeKeys(db, { trade: { uid: '8001', mode: 'classic' }, read: { uid: '8001', mode: 'classic', permission: 'read' } });
  server = new ServerProcess(db, { LOG_LEVEL: 'trace' });
  port = Number(new URL(await server.start()).port);
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One signed request over a fresh socket, with optional extra headers. */
async function signed(key: Cred, method: 'GET' | 'POST', path: string, body: string, extra: Record<string, string> = {}): Promise<[number, string, string]> {
  const headers = { host: 'x', 'content-type': 'application/json', ...authHeaders(key, method, path, body), ...extra };
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  const raw = await rawExchange(port, Buffer.from(`${method} ${path} HTTP/1.1\r\n${head}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`));
  const text = raw.toString('latin1');
  const id = /\r\nx-request-id: ([^\r]+)/i.exec(text)?.[1] ?? '';
  const [[status, resBody]] = parseResponses(raw);
  return [status, resBody, id];
}

test('every response carries an x-request-id and every request log line the same reqId', async () => {
  const http = new HttpSender(server.baseUrl, 2);
  const seen: string[] = [];
  const place = MIX_DIALECT.placeBatch(['hy-1', 'hy-2']);
  const answers = [
    await http.send(keys.trade, place), // success
    await http.send({ ...keys.trade, passphrase: 'wrong-passphrase' }, place), // auth failure
    await http.send(keys.read, MIX_DIALECT.cancelAll()[0]), // permission failure
    await http.send(keys.trade, { method: 'GET', path: '/api/v2/nowhere' }), // 404
    await http.send(keys.trade, { method: 'GET', path: '/api/v2/mix/%ZZ' }), // undecodable path
  ];
  await http.close();
  for (const a of answers) {
    assert.equal(envelopeProblems(a.status, JSON.stringify(a.body)).length, 0, JSON.stringify(a.body));
    assert.match(String(a.headers['x-request-id']), /^[\w.-]{8,64}$/);
    seen.push(String(a.headers['x-request-id']));
  }
  // a request Node's parser rejects still gets an id
  const raw = (await rawExchange(port, Buffer.from('NOT-HTTP\r\n\r\n'))).toString('latin1');
  assert.match(raw, /\r\nx-request-id: [\w-]{36}\r\n/i);
  // a sane client-chosen id is echoed, and is the one in the logs
  const [, , echoed] = await signed(keys.trade, 'GET', '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES', '', { 'x-request-id': 'client-chosen-1' });
  assert.equal(echoed, 'client-chosen-1');
  seen.push(echoed);
  await new Promise((r) => setTimeout(r, 200)); // let the child flush its log lines
  const lines = server.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const startup = lines.filter((l) => /listening/i.test(l.msg));
  const perRequest = lines.filter((l) => !startup.includes(l));
  assert.ok(perRequest.length >= seen.length * 2, `expected request logs at trace level, got ${perRequest.length}`);
  for (const l of perRequest) assert.ok(typeof l.reqId === 'string' && l.reqId.length > 0, `log line without reqId: ${JSON.stringify(l)}`);
  const logged = new Set(perRequest.map((l) => l.reqId));
  for (const id of seen) assert.ok(logged.has(id), `response id ${id} is in no log line`);
});

test('secrets and passphrases appear neither in the logs nor in the database files, nor in `keys list`', async () => {
  const http = new HttpSender(server.baseUrl, 2);
  for (let i = 0; i < 5; i++) {
    await http.send(keys.trade, MIX_DIALECT.placeBatch([`sec-${i}`]));
    await http.send(keys.read, MIX_DIALECT.reads({ clientOid: `sec-${i}` })[0]);
    await http.send({ ...keys.trade, passphrase: keys.read.passphrase }, MIX_DIALECT.cancelAll()[0]);
  }
  await http.close();
  await new Promise((r) => setTimeout(r, 200));
  await ensureCliBuilt();
  const list = await runCli(['keys', 'list', '--json', '--db', db]);
  assert.equal(list.code, 0, list.stderr);
  assert.ok(list.stdout.includes(keys.trade.apiKey), 'keys list should list the key');
  const files = readdirSync(dir).filter((f) => f.startsWith('ordergate.db'));
  assert.ok(files.includes('ordergate.db'));
  const haystacks: Array<[string, string]> = [
    ['server log', server.output],
    ['keys list', list.stdout + list.stderr],
    ...files.map((f): [string, string] => [f, readFileSync(join(dir, f)).toString('latin1')]),
  ];
  for (const k of [keys.trade, keys.read]) {
    const needles = [k.secretKey, Buffer.from(k.secretKey).toString('base64'), k.passphrase, Buffer.from(k.passphrase).toString('base64')];
    for (const [where, hay] of haystacks) {
      for (const n of needles) assert.ok(!hay.includes(n), `${where} contains a secret or passphrase in plain text`);
    }
  }
});

test('limits: header block over 16 KiB is 431, body over 1 MiB and JSON deeper than 32 are 40017 — as envelopes, process up', async () => {
  const path = '/api/v2/mix/order/batch-cancel-orders';
  const [hs, hb] = await signed(keys.trade, 'POST', path, '{}', { 'x-filler': 'f'.repeat(MAX_HEADER_BYTES) });
  assert.equal(hs, 431);
  assert.equal(JSON.parse(hb).code, '40017');
  const big = JSON.stringify({ productType: 'USDT-FUTURES', symbol: 'x'.repeat(1024 * 1024) });
  const [bs, bb] = await signed(keys.trade, 'POST', path, big);
  assert.deepEqual([bs, JSON.parse(bb).code], [400, '40017']);
  const deep = `{"productType":"USDT-FUTURES","x":${'['.repeat(40)}${']'.repeat(40)}}`;
  const [ds, dbody] = await signed(keys.trade, 'POST', path, deep);
  assert.deepEqual([ds, JSON.parse(dbody).code], [400, '40017']);
  const [os, ob] = await signed(keys.trade, 'POST', path, JSON.stringify({ productType: 'USDT-FUTURES' }));
  assert.deepEqual([os, JSON.parse(ob).code], [200, '00000']);
  assert.ok(server.alive);
});

// ---- slow clients (in-process server with short limits, real sockets) ----------------

let ts: TestServer;
let slowPort: number;
let slowApp: ReturnType<typeof buildServer>;
before(async () => {
  ts = await startTestServer();
  slowApp = buildServer({
    services: { engine: ts.og.engine, catalogue: ts.og.engine.catalogue, keyring: ts.og.keyring },
    endpoints: allEndpoints,
    limiter: ts.og.limiter,
    logLevel: 'silent',
    timeouts: { headersMs: 1000, requestMs: 1600, idleMs: 600, keepAliveMs: 500, checkIntervalMs: 50 },
  });
  await slowApp.listen({ port: 0, host: '127.0.0.1' });
  slowPort = (slowApp.server.address() as net.AddressInfo).port;
});
after(async () => {
  await slowApp.close();
  await ts.close();
});

/** Writes `parts` with `gapMs` between them and never finishes; resolves with what came back and when. */
function trickle(parts: string[], gapMs: number): Promise<{ ms: number; raw: Buffer }> {
  return new Promise((resolveT) => {
    const t0 = Date.now();
    const chunks: Buffer[] = [];
    const sock = net.connect(slowPort, '127.0.0.1');
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => undefined);
    sock.on('close', () => resolveT({ ms: Date.now() - t0, raw: Buffer.concat(chunks) }));
    let i = 0;
    const next = () => {
      if (sock.destroyed || i >= parts.length) return;
      sock.write(parts[i++]);
      setTimeout(next, gapMs);
    };
    next();
  });
}

test('slowloris headers and a trickled body are cut off with 408/40010, while others are served', async () => {
  const url = '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES';
  const normal = async () => {
    const res = await fetch(`http://127.0.0.1:${slowPort}${url}`, { headers: { 'content-type': 'application/json', ...authHeaders(ts.classic, 'GET', url, '') } });
    return ((await res.json()) as { code: string }).code;
  };
  assert.equal(await normal(), '00000'); // warm the key (first use verifies the passphrase with scrypt)
  const headers = Array.from({ length: 100 }, (_, i) => (i === 0 ? 'POST /api/v2/mix/order/cancel-order HTTP/1.1\r\n' : `x-h${i}: ${i}\r\n`));
  // the trickled body carries a known key and a fresh timestamp: an unsigned one is refused from its head at once
  const signed = Object.entries(authHeaders(ts.classic, 'POST', '/api/v2/mix/order/cancel-order', ' '.repeat(1000))).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const body = [`POST /api/v2/mix/order/cancel-order HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n${signed}\r\n`, ...Array.from({ length: 100 }, () => ' ')];
  const t0 = Date.now();
  const slow = [trickle(headers, 100), trickle(body, 100)];
  // meanwhile ordinary clients are answered, long before the slow ones are cut off
  const codes = await Promise.all([normal(), normal(), normal()]);
  const servedAfter = Date.now() - t0;
  assert.deepEqual(codes, ['00000', '00000', '00000']);
  const [h, b] = await Promise.all(slow);
  assert.ok(servedAfter < Math.min(h.ms, b.ms), `normal clients waited ${servedAfter} ms, as long as the slow ones`);
  for (const [r, limit] of [[h, 1000], [b, 1600]] as const) {
    // the upper bound only proves a cut-off happened (generous: a busy machine is slow)
    assert.ok(r.ms >= limit - 100 && r.ms < limit + 15_000, `cut off after ${r.ms} ms, limit ${limit}`);
    const [[status, text]] = parseResponses(r.raw);
    assert.equal(status, 408);
    assert.equal(JSON.parse(text).code, '40010');
  }
});

test('a silent connection is dropped after the idle timeout; an idle keep-alive socket after the keep-alive timeout', async () => {
  const silent = await trickle([], 10);
  // whichever comes first: the idle timeout (600 ms) or the headers timeout (1000 ms)
  assert.ok(silent.ms >= 550 && silent.ms < 15_000, `silent socket closed after ${silent.ms} ms`);
  const r = await trickle(['GET /api/v2/public/time HTTP/1.1\r\nhost: x\r\n\r\n'], 10);
  const answers = parseResponses(r.raw);
  assert.equal(answers.length, 1);
  assert.equal(JSON.parse(answers[0][1]).code, '00000');
  assert.ok(r.ms >= 450 && r.ms < 15_000, `idle keep-alive socket closed after ${r.ms} ms`);
});
