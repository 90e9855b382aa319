/**
 * Authentication attacks (the per-code basics live in test/http/auth.test.ts): a captured,
 * validly signed request altered in transit (body, path, query, timestamp, method, trailing
 * slash); replay inside and outside the 30 s window; a key revoked while in use; passphrase
 * guessing after the right one was cached; a read-only key on every trading endpoint of every
 * dialect (40014); IP whitelists against X-Forwarded-For spoofing, trusted only when
 * ORDERGATE_TRUST_PROXY says so. Every rejected attack must leave the store unchanged.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { createKey } from '../../src/accounts/keys.js';
import { NoRateLimiter } from '../../src/http/ratelimit.js';
import { allEndpoints } from '../../src/http/routes/index.js';
import { buildServer } from '../../src/http/server.js';
import { startTestServer, type TestKey, type TestServer } from '../helpers.js';
import { MIX_DIALECT, authHeaders, digester, injectSender, registeredDialects, sign } from './drivers.js';

let s: TestServer;
let digest: () => Promise<string>;
before(async () => {
  s = await startTestServer({ keyPollMs: 50 });
  digest = digester(s);
});
after(() => s.close());

const realNow = Date.now;
afterEach(() => {
  Date.now = realNow;
});

/** A captured request: exactly the bytes a client sent. */
interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  remoteAddress?: string;
}

/** Signs `method url body` as `key` would (at `ts`), then lets the attacker edit the capture. */
function capture(key: TestKey, method: 'GET' | 'POST', url: string, body?: unknown, ts?: string): Captured {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return {
    method,
    url,
    payload,
    headers: { 'content-type': 'application/json', ...authHeaders(key, method, url, payload ?? '', ts) },
  };
}

async function replay(c: Captured): Promise<{ status: number; code: string; body: any }> {
  const res = await s.og.app.inject({
    method: c.method as 'GET',
    url: c.url,
    headers: c.headers,
    ...(c.payload !== undefined ? { payload: c.payload } : {}),
    ...(c.remoteAddress ? { remoteAddress: c.remoteAddress } : {}),
  });
  const body = JSON.parse(res.body);
  return { status: res.statusCode, code: body.code, body };
}

/** Runs `attack`, asserting it is refused with `code` and that no order changed. */
async function refused(code: string, attack: () => Promise<{ status: number; code: string; body: any }>): Promise<void> {
  const before = await digest();
  const r = await attack();
  assert.equal(r.code, code, JSON.stringify(r.body));
  assert.equal(r.status, 400);
  assert.equal(r.body.data, null);
  assert.equal(await digest(), before, 'a refused request changed the store');
}

async function placeOne(key: TestKey, clientOid?: string): Promise<string> {
  const send = injectSender(s);
  const r = await send(key, MIX_DIALECT.placeBatch([clientOid ?? `aa-${Math.random().toString(36).slice(2)}`]));
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  return r.body.data.successList[0].orderId;
}

const CANCEL = '/api/v2/mix/order/cancel-order';
const BATCH = '/api/v2/mix/order/batch-cancel-orders';
const cancelBody = (orderId: string) => ({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderId });

test('a signed cancel altered in transit is refused with 40009: body, field order, whitespace, path, slash, method, query, timestamp', async () => {
  const id = await placeOne(s.classic);
  const other = await placeOne(s.classic);
  const good = () => capture(s.classic, 'POST', CANCEL, cancelBody(id));
  // body: another order, same fields reordered, extra whitespace
  await refused('40009', () => replay({ ...good(), payload: JSON.stringify(cancelBody(other)) }));
  await refused('40009', () => replay({ ...good(), payload: JSON.stringify({ orderId: id, symbol: 'BTCUSDT', productType: 'USDT-FUTURES' }) }));
  await refused('40009', () => replay({ ...good(), payload: JSON.stringify(cancelBody(id), null, 1) }));
  // path: the same body sent to the batch endpoint (scope cancel when orderIdList is absent!)
  await refused('40009', () => replay({ ...good(), url: BATCH, payload: JSON.stringify({ productType: 'USDT-FUTURES' }) }));
  await refused('40009', () => replay({ ...good(), url: BATCH }));
  await refused('40009', () => replay({ ...good(), url: `${CANCEL}/` }));
  await refused('40009', () => replay({ ...good(), url: `${CANCEL}?x=1` }));
  // timestamp moved inside the window but signature kept
  await refused('40009', () => replay({ ...good(), headers: { ...good().headers, 'access-timestamp': String(Date.now() - 1000) } }));
  // a GET signature replayed as a POST, and a query parameter swapped, added or reordered
  const read = `/api/v2/mix/order/detail?symbol=BTCUSDT&productType=USDT-FUTURES&orderId=${id}`;
  const g = capture(s.classic, 'GET', read);
  await refused('40009', () => replay({ ...g, method: 'POST', url: CANCEL, payload: JSON.stringify(cancelBody(id)) }));
  await refused('40009', () => replay({ ...g, url: read.replace(id, other) }));
  await refused('40009', () => replay({ ...g, url: `${read}&clientOid=x` }));
  await refused('40009', () => replay({ ...g, url: `/api/v2/mix/order/detail?productType=USDT-FUTURES&symbol=BTCUSDT&orderId=${id}` }));
  // the unaltered capture still works (the attacks were refused for the alteration alone)
  assert.equal((await replay(g)).code, '00000');
  assert.equal((await replay(good())).code, '00000');
});

test('signature and key material cannot be mixed: another key\'s secret, apiKey or passphrase', async () => {
  const id = await placeOne(s.classic);
  const c = capture(s.classic, 'POST', CANCEL, cancelBody(id));
  // another UID's apiKey with the victim's valid signature
  await refused('40009', () => replay({ ...c, headers: { ...c.headers, 'access-key': s.other.apiKey, 'access-passphrase': s.other.passphrase } }));
  // the victim's apiKey with a signature made by another key's secret
  const ts = String(Date.now());
  const forged = sign(s.other.secretKey, ts, 'POST', CANCEL, c.payload as string);
  await refused('40009', () => replay({ ...c, headers: { ...c.headers, 'access-timestamp': ts, 'access-sign': forged } }));
  // the passphrase of another key of the SAME uid (read-only key of uid 1001)
  await refused('40012', () => replay({ ...c, headers: { ...c.headers, 'access-passphrase': s.readOnly.passphrase } }));
});

test('passphrase guessing after the right one was cached: every near miss is 40012', async () => {
  const id = await placeOne(s.classic); // caches the verified passphrase digest
  const p = s.classic.passphrase;
  const guesses = [p.toUpperCase(), p.toLowerCase(), `${p} `, ` ${p}`, p.slice(0, -1), `${p}x`, `${p}\u0000`, p.normalize('NFKD') + '\u0301'];
  for (const g of guesses.filter((x) => x !== p)) {
    const c = capture(s.classic, 'POST', CANCEL, cancelBody(id));
    await refused('40012', () => replay({ ...c, headers: { ...c.headers, 'access-passphrase': g } }));
  }
});

test('replay: inside the window a replayed placement is a clientOid duplicate and a replayed cancel a per-order failure; after 30 s it is 40008', async () => {
  const clientOid = `replay-${Date.now()}`;
  const place = capture(s.classic, 'POST', '/api/v2/mix/order/place-order', {
    symbol: 'BTCUSDT',
    productType: 'USDT-FUTURES',
    marginMode: 'crossed',
    marginCoin: 'USDT',
    size: '0.01',
    price: '30000',
    side: 'buy',
    orderType: 'limit',
    force: 'gtc',
    clientOid,
  });
  const first = await replay(place);
  assert.equal(first.code, '00000');
  // Bitget keeps no nonce: a replay inside the window is processed again, and clientOid keeps it idempotent
  await refused('45034', () => replay(place));
  const id = first.body.data.orderId;
  const cancel = capture(s.classic, 'POST', BATCH, { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderIdList: [{ orderId: id }] });
  const c1 = await replay(cancel);
  assert.deepEqual(c1.body.data.successList.map((x: any) => x.orderId), [id]);
  const before = await digest();
  const c2 = await replay(cancel);
  assert.equal(c2.code, '00000');
  assert.deepEqual(c2.body.data.successList, []);
  assert.equal(c2.body.data.failureList[0].errorCode, '40769');
  assert.equal(await digest(), before);
  // the same captured bytes 31 s later (either direction of skew): expired
  const ts = Date.now();
  Date.now = () => ts + 31_000;
  await refused('40008', () => replay(place));
  await refused('40008', () => replay(cancel));
  Date.now = () => ts - 31_000;
  await refused('40008', () => replay(place));
});

test('timestamp forms that are not plain ms digits are 40005, whatever the signature covers', async () => {
  const id = await placeOne(s.classic);
  const now = Date.now();
  for (const ts of [`+${now}`, `${now}.0`, `${now / 1000}`, `0x${now.toString(16)}`, `${now} `, ` ${now}`, `${now}e0`, '-1', `１${now}`.slice(0, 14)]) {
    const body = JSON.stringify(cancelBody(id));
    const headers = { 'content-type': 'application/json', ...authHeaders(s.classic, 'POST', CANCEL, body, ts) };
    await refused('40005', () => replay({ method: 'POST', url: CANCEL, headers, payload: body }));
  }
});

test('a key revoked while in use stops working within the poll interval, for good', async () => {
  const k = await createKey(s.og.store.keys, s.og.master, { uid: s.classic.uid, mode: 'classic', permission: 'trade', ips: [] });
  const key: TestKey = { uid: s.classic.uid, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
  await s.og.keyring.refresh();
  const ids = await Promise.all(Array.from({ length: 6 }, () => placeOne(key)));
  // hammer with cancels while another process (here: the store directly) revokes the key
  let revokedAt = 0;
  const codes: Array<[number, string]> = [];
  const hammer = (async () => {
    // until 1.5 s after the revocation, longer (up to 30 s) while no refusal was seen: a busy machine is slow
    const refusedYet = () => codes.some(([, c]) => c === '40006');
    for (let i = 0; i < 5000 && (revokedAt === 0 || Date.now() - revokedAt < 1500 || (!refusedYet() && Date.now() - revokedAt < 30_000)); i++) {
      const r = await replay(capture(key, 'GET', `/api/v2/mix/order/orders-pending?productType=USDT-FUTURES`));
      codes.push([Date.now(), r.code]);
      await new Promise((res) => setTimeout(res, 5));
    }
  })();
  await new Promise((res) => setTimeout(res, 50));
  assert.equal(await s.og.store.keys.revokeKey(key.apiKey, Date.now()), true);
  revokedAt = Date.now();
  await hammer;
  const firstRefusal = codes.findIndex(([, c]) => c === '40006');
  assert.ok(firstRefusal > 0, 'the key was never refused');
  assert.ok(codes[firstRefusal][0] - revokedAt < 30_000, `revocation took ${codes[firstRefusal][0] - revokedAt} ms`);
  assert.ok(codes.slice(firstRefusal).every(([, c]) => c === '40006'), 'a revoked key worked again');
  // its orders are untouched, and cancelling them with the revoked key is refused
  await refused('40006', () => replay(capture(key, 'POST', CANCEL, cancelBody(ids[0]))));
});

test('a read-only key is refused with 40014 on every trading endpoint of every dialect, changing nothing', async () => {
  const roUnified = await createKey(s.og.store.keys, s.og.master, { uid: s.unified.uid, mode: 'unified', permission: 'read', ips: [] });
  await s.og.keyring.refresh();
  const ro = { classic: s.readOnly, unified: { uid: s.unified.uid, apiKey: roUnified.apiKey, secretKey: roUnified.secretKey, passphrase: roUnified.passphrase } };
  const dialects = registeredDialects();
  // real open orders, named by the read-only key's cancels
  const victims = new Map<string, { orderId: string; clientOid: string }>();
  for (const d of dialects) {
    const key = d.account === 'classic' ? s.classic : s.unified;
    const r = await injectSender(s)(key, d.placeBatch([`ro-${d.name}`]));
    const it = d.placeResults(r.body.data)[0];
    victims.set(d.name, { orderId: it.orderId, clientOid: it.clientOid });
  }
  let tried = 0;
  for (const d of dialects) {
    const v = victims.get(d.name)!;
    const key = ro[d.account];
    const attempts = [d.cancelOne({ orderId: v.orderId }), d.cancelBatch([{ orderId: v.orderId }, { clientOid: v.clientOid }]), ...d.cancelAll(), d.placeBatch([`ro-new-${d.name}`])];
    for (const req of attempts) {
      await refused('40014', () => injectSender(s)(key, req).then((r) => ({ status: r.status, code: r.body.code, body: r.body })));
      tried++;
    }
  }
  // every trade endpoint was covered, not just the ones the dialect table names
  const tradePaths = allEndpoints.filter((e) => e.auth?.permission === 'trade');
  for (const ep of tradePaths) {
    const key = ro[ep.auth!.mode === 'any' ? 'classic' : ep.auth!.mode];
    const c = capture(key, 'POST', ep.path, {});
    await refused('40014', () => replay(c));
  }
  assert.ok(tried >= dialects.length * 3);
  // the read-only key can still read
  const read = await injectSender(s)(ro.classic, MIX_DIALECT.reads({ orderId: victims.get('mix')!.orderId })[0]);
  assert.equal(read.body.code, '00000');
});

// ---- IP whitelist and X-Forwarded-For -------------------------------------------------

async function ipServer(trustProxy: boolean | string | number): Promise<{ srv: TestServer; key: TestKey }> {
  const srv = await startTestServer({ trustProxy });
  const k = await createKey(srv.og.store.keys, srv.og.master, { uid: '5005', mode: 'classic', permission: 'trade', ips: ['10.1.2.3'] });
  await srv.og.keyring.refresh();
  return { srv, key: { uid: '5005', apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase } };
}

async function fromIp(srv: TestServer, key: TestKey, remoteAddress: string, xff?: string): Promise<string> {
  const url = '/api/v2/mix/order/orders-pending?productType=USDT-FUTURES';
  const headers: Record<string, string> = { 'content-type': 'application/json', ...authHeaders(key, 'GET', url, '') };
  if (xff !== undefined) headers['x-forwarded-for'] = xff;
  const res = await srv.og.app.inject({ method: 'GET', url, headers, remoteAddress });
  return JSON.parse(res.body).code;
}

test('ORDERGATE_TRUST_PROXY parsing: off by default, a hop count or an address list; true is refused at start-up', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  assert.equal(loadConfig({ ORDERGATE_TRUST_PROXY: 'false' }).trustProxy, false);
  // `true` would trust every X-Forwarded-For hop: any client could pick the IP the whitelist checks
  assert.throws(() => loadConfig({ ORDERGATE_TRUST_PROXY: 'true' }), /ORDERGATE_TRUST_PROXY=true is refused.*address or CIDR/);
  assert.throws(() => buildServer({ services: {} as never, endpoints: [], limiter: new NoRateLimiter(), trustProxy: true }), /refused/);
  assert.equal(loadConfig({ ORDERGATE_TRUST_PROXY: '1' }).trustProxy, 1);
  assert.equal(loadConfig({ ORDERGATE_TRUST_PROXY: '127.0.0.1' }).trustProxy, '127.0.0.1');
});

test('IP whitelist: X-Forwarded-For is ignored unless a proxy is trusted', async () => {
  const { srv, key } = await ipServer(false);
  try {
    assert.equal(await fromIp(srv, key, '10.1.2.3'), '00000');
    assert.equal(await fromIp(srv, key, '::ffff:10.1.2.3'), '00000');
    assert.equal(await fromIp(srv, key, '10.9.9.9'), '40018');
    // spoofing the whitelisted address in the header does not help
    assert.equal(await fromIp(srv, key, '10.9.9.9', '10.1.2.3'), '40018');
    assert.equal(await fromIp(srv, key, '127.0.0.1', '10.1.2.3'), '40018');
    // and a whitelisted peer is not hurt by a header naming someone else
    assert.equal(await fromIp(srv, key, '10.1.2.3', '6.6.6.6'), '00000');
  } finally {
    await srv.close();
  }
});

test('IP whitelist behind a trusted proxy list: only the trusted proxy\'s X-Forwarded-For counts', async () => {
  const { srv, key } = await ipServer('127.0.0.1');
  try {
    assert.equal(await fromIp(srv, key, '127.0.0.1', '10.1.2.3'), '00000');
    assert.equal(await fromIp(srv, key, '127.0.0.1', '6.6.6.6'), '40018');
    // a client talking to ordergate directly cannot claim an address
    assert.equal(await fromIp(srv, key, '10.9.9.9', '10.1.2.3'), '40018');
    // prepending the whitelisted address before the real client does not help either
    assert.equal(await fromIp(srv, key, '127.0.0.1', '10.1.2.3, 6.6.6.6'), '40018');
  } finally {
    await srv.close();
  }
});

test('a hop count (ORDERGATE_TRUST_PROXY=1) fails closed: X-Forwarded-For is never trusted, only the peer address counts', async () => {
  // Fastify 5 cannot validate the immediate peer with a bare hop count, so it trusts nothing;
  // behind a proxy, configure the proxy's address or CIDR instead.
  const { srv, key } = await ipServer(1);
  try {
    assert.equal(await fromIp(srv, key, '127.0.0.1', '6.6.6.6, 10.1.2.3'), '40018');
    assert.equal(await fromIp(srv, key, '127.0.0.1', '10.1.2.3'), '40018');
    assert.equal(await fromIp(srv, key, '10.1.2.3', '6.6.6.6'), '00000');
  } finally {
    await srv.close();
  }
});
