/**
 * The `ordergate` command line as an operator uses it: real processes on a SQLite file in a
 * temporary directory, next to an in-process server on the same file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type OrdergateApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { call, type TestKey, type TestServer } from '../helpers.js';
import { ensureCliBuilt, runCli, spawnCli, type Child } from '../support/children.js';

let dir: string;
let db: string;
before(async () => {
  await ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'og-cli-'));
  db = join(dir, 'og.db');
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `ordergate <args>` (the built CLI, a tracked child killed after 120 s) against the
 * temporary database.
 */
function cli(...args: string[]): Promise<Run> {
  return cliEnv({}, ...args);
}

/** {@link cli} with extra environment variables. */
async function cliEnv(extra: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ORDERGATE_DB: db, LOG_LEVEL: 'silent' };
  delete env.ORDERGATE_MASTER_KEY;
  delete env.DATABASE_URL;
  delete env.ORDERGATE_ADMIN_TOKEN;
  Object.assign(env, extra);
  const { code, stdout, stderr } = await runCli(args, { env, timeoutMs: 120_000 });
  return { code, stdout, stderr };
}

function ok(r: Run): string {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Parses a table printed by the CLI into rows keyed by the header (columns located by the dash rule). */
function parseTable(out: string): Array<Record<string, string>> {
  const lines = out.trimEnd().split('\n');
  assert.match(lines[1], /^-+( +-+)*\s*$/);
  const spans = [...lines[1].matchAll(/-+/g)].map((m) => [m.index as number, (m.index as number) + m[0].length] as const);
  const cells = (l: string) => spans.map(([a, b]) => l.slice(a, b).trim());
  const cols = cells(lines[0]);
  return lines.slice(2).map((l) => Object.fromEntries(cells(l).map((v, i) => [cols[i], v])));
}

const created: Array<{ uid: string; mode: string; permission: string; apiKey: string; secretKey: string; passphrase: string }> = [];

test('keys create: table, --json, --mode, --permission, --ip, --count', async () => {
  // first command alone: it creates the database and the master key
  const table = parseTable(ok(await cli('keys', 'create', '--uid', '7001')));
  assert.equal(table.length, 1);
  assert.equal(table[0].uid, '7001');
  assert.equal(table[0].mode, 'classic');
  assert.equal(table[0].permission, 'trade');
  assert.match(table[0].apiKey, /^bg_[0-9a-f]{32}$/);
  assert.match(table[0].secretKey, /^[0-9a-f]{64}$/);
  assert.match(table[0].passphrase, /^[A-Za-z0-9]{16}$/);
  created.push(table[0] as never);
  assert.ok(existsSync(db));
  assert.ok(existsSync(join(dir, 'master.key')));

  const [uni, many] = await Promise.all([
    cli('keys', 'create', '--uid', '7002', '--mode', 'unified', '--permission', 'read', '--ip', '10.0.0.1, 10.0.0.2', '--json', '--label', 'ro'),
    cli('keys', 'create', '--count', '3', '--json'),
  ]);
  const u = JSON.parse(ok(uni));
  assert.deepEqual(Object.keys(u).sort(), ['apiKey', 'mode', 'passphrase', 'permission', 'secretKey', 'uid']);
  assert.equal(u.uid, '7002');
  assert.equal(u.mode, 'unified');
  assert.equal(u.permission, 'read');
  created.push(u);
  const m = JSON.parse(ok(many));
  assert.ok(Array.isArray(m));
  assert.equal(m.length, 3);
  assert.equal(new Set(m.map((x: { uid: string }) => x.uid)).size, 3, 'three distinct UIDs');
  assert.equal(new Set(m.map((x: { apiKey: string }) => x.apiKey)).size, 3);
  for (const x of m) {
    assert.match(x.uid, /^\d+$/);
    assert.ok(!['7001', '7002'].includes(x.uid));
    assert.equal(x.mode, 'classic');
  }
  created.push(...m);

  // keys list: every key with its status, never a secret or passphrase
  const listOut = ok(await cli('keys', 'list'));
  const jsonOut = ok(await cli('keys', 'list', '--json'));
  for (const c of created) {
    for (const out of [listOut, jsonOut]) {
      assert.ok(out.includes(c.apiKey), `${c.apiKey} listed`);
      assert.ok(!out.includes(c.secretKey), 'secret shown');
      assert.ok(!out.includes(c.passphrase), 'passphrase shown');
    }
  }
  const rows = JSON.parse(jsonOut) as Array<Record<string, string>>;
  assert.equal(rows.length, 5);
  const ro = rows.find((r) => r.apiKey === u.apiKey);
  assert.deepEqual(
    { uid: ro?.uid, mode: ro?.mode, permission: ro?.permission, ips: ro?.ips, label: ro?.label, status: ro?.status },
    { uid: '7002', mode: 'unified', permission: 'read', ips: '10.0.0.1,10.0.0.2', label: 'ro', status: 'active' },
  );
  assert.ok(rows.every((r) => r.status === 'active'));
  assert.ok(!Number.isNaN(Date.parse(rows[0].created)));
  const t = parseTable(listOut);
  assert.equal(t.length, 5);
  assert.ok(t.every((r) => r.status === 'active'));
});

test('an in-process server on the same file: place, then CLI fill, then query; CLI revoke takes effect', async () => {
  const key = created[0] as TestKey;
  assert.ok(key, 'runs after keys create');
  const og: OrdergateApp = await createApp({ ...loadConfig({}), dbPath: db, logLevel: 'silent', demoKeys: false, rateLimit: false, keyPollMs: 100 });
  const s = { og } as TestServer;
  try {
    const placed = await call(s, key, 'POST', '/api/v2/mix/order/place-order', {
      symbol: 'BTCUSDT',
      productType: 'USDT-FUTURES',
      marginMode: 'crossed',
      marginCoin: 'USDT',
      size: '0.01',
      price: '30000',
      side: 'buy',
      orderType: 'limit',
    });
    assert.equal(placed.body.code, '00000', JSON.stringify(placed.body));
    const orderId: string = placed.body.data.orderId;

    const fillTable = parseTable(ok(await cli('fill', '--order-id', orderId, '--size', '0.004')));
    assert.deepEqual(fillTable[0], {
      orderId,
      symbol: 'BTCUSDT',
      category: 'USDT-FUTURES',
      status: 'partially_filled',
      size: '0.01',
      filledSize: '0.004',
    });
    const q = `/api/v2/mix/order/detail?symbol=BTCUSDT&productType=USDT-FUTURES&orderId=${orderId}`;
    const d = await call(s, key, 'GET', q);
    assert.equal(d.body.data.status, 'partially_filled');
    assert.equal(d.body.data.baseVolume, '0.004');

    // too much, then the rest (--json)
    const over = await cli('fill', '--order-id', orderId, '--size', '0.007');
    assert.notEqual(over.code, 0);
    assert.match(over.stderr, /40020 Parameter size error/);
    const rest = JSON.parse(ok(await cli('fill', '--order-id', orderId, '--json')));
    assert.equal(rest.status, 'filled');
    assert.equal(rest.filledSize, '0.01');
    assert.equal((await call(s, key, 'GET', q)).body.data.status, 'filled');

    // money (issue 10): CLI deposit credits the account the server reads; CLI reset puts it back to the start balance
    const accounts = '/api/v2/mix/account/accounts?productType=USDT-FUTURES';
    const before = (await call(s, key, 'GET', accounts)).body.data[0].available as string;
    const dep = JSON.parse(ok(await cli('deposit', '--uid', key.uid, '--coin', 'USDT', '--amount', '5', '--account', 'usdt-futures', '--json')));
    assert.deepEqual([dep.account, dep.coin, dep.available], ['futures:USDT-FUTURES:USDT', 'USDT', String(Number(before) + 5)]);
    assert.equal((await call(s, key, 'GET', accounts)).body.data[0].available, dep.available);
    const bad = await cli('deposit', '--uid', key.uid, '--coin', 'USDT', '--amount', 'lots');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /40020 Parameter amount error/);
    assert.match(ok(await cli('reset', '--uid', key.uid)), /reset .*balances back to the start balance/);
    const after = (await call(s, key, 'GET', accounts)).body.data[0];
    assert.deepEqual([after.available, after.locked, after.accountEquity], ['1000000', '0', '1000000']);

    // revoke through the CLI: the running server refuses the key within its poll interval
    const revoked = ok(await cli('keys', 'revoke', key.apiKey));
    assert.match(revoked, new RegExp(`revoked ${key.apiKey}`));
    const deadline = Date.now() + 30_000; // generous: a busy machine is slow
    let r = await call(s, key, 'GET', q);
    while (r.body.code === '00000' && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 50));
      r = await call(s, key, 'GET', q);
    }
    assert.equal(r.body.code, '40006');
    const list = JSON.parse(ok(await cli('keys', 'list', '--json'))) as Array<Record<string, string>>;
    assert.equal(list.find((k) => k.apiKey === key.apiKey)?.status, 'revoked');
  } finally {
    await og.close();
  }
});

test('bad arguments exit non-zero with a message', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['keys', 'create'], /--uid is required/],
    [['keys', 'create', '--uid', '12ab'], /--uid must be digits/],
    [['keys', 'create', '--uid', '7003', '--mode', 'hybrid'], /Allowed choices are classic, unified/],
    [['keys', 'create', '--count', '0'], /--count must be 1\.\.100000/],
    [['keys', 'create', '--uid', '7001', '--mode', 'unified'], /7001 exists in classic mode/],
    [['keys', 'revoke', 'bg_nope'], /no active key bg_nope/],
    [['fill'], /required option '--order-id <id>' not specified/],
    [['fill', '--order-id', '1234567890123456789'], /43001 The order does not exist/],
    [['bogus'], /unknown command 'bogus'/],
  ];
  // one at a time: nine CLI processes at once starve a busy machine
  const runs: Run[] = [];
  for (const [args] of cases) runs.push(await cli(...args));
  for (const [i, r] of runs.entries()) {
    const [args, msg] = cases[i];
    assert.notEqual(r.code, 0, `${args.join(' ')} exited 0`);
    assert.match(r.stderr, msg, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(!/\n\s+at /.test(r.stderr), `${args.join(' ')} printed a stack trace`);
  }
  // the refused mode change created nothing
  const rows = JSON.parse(ok(await cli('keys', 'list', '--json'))) as Array<{ uid: string }>;
  assert.equal(rows.filter((r) => r.uid === '7001').length, 1);
  assert.equal(rows.filter((r) => r.uid === '7003').length, 0);
});

test('secrets and passphrases are not stored in plain text', () => {
  assert.ok(created.length >= 5);
  const files = ['og.db', 'og.db-wal', 'og.db-shm'].map((f) => join(dir, f)).filter(existsSync);
  assert.ok(files.length >= 1);
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
  for (const c of created) {
    assert.ok(bytes.includes(Buffer.from(c.apiKey)), 'the api key itself is stored (sanity check of the scan)');
    for (const secret of [c.secretKey, c.passphrase]) {
      assert.equal(bytes.includes(Buffer.from(secret)), false, 'plain secret found in the database files');
      assert.equal(bytes.includes(Buffer.from(Buffer.from(secret).toString('base64'))), false, 'base64 secret found');
    }
  }
});

/** A `serve` child process (a tracked child: killed whatever happens); always stopped by {@link stopServe}. */
interface Served {
  child: Child;
  out: () => string;
  err: () => string;
  exited: Promise<number>;
}

function serve(args: string[], env: NodeJS.ProcessEnv = {}): Served {
  const full: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
  delete full.ORDERGATE_MASTER_KEY;
  delete full.DATABASE_URL;
  delete full.ORDERGATE_ADMIN_TOKEN;
  if (env.ORDERGATE_ADMIN_TOKEN) full.ORDERGATE_ADMIN_TOKEN = env.ORDERGATE_ADMIN_TOKEN;
  const child = spawnCli(['serve', ...args], { env: full });
  const exited = child.exited.then(({ code, signal }) => code ?? (signal ? 128 : 1));
  return { child, out: () => child.stdout(), err: () => child.stderr(), exited };
}

/** Waits until `re` matches the child's stdout (or it exits, or 60 s pass). */
async function waitFor(s: Served, re: RegExp): Promise<RegExpExecArray> {
  const deadline = Date.now() + 60_000;
  let done = false;
  void s.exited.then(() => (done = true));
  for (;;) {
    const m = re.exec(s.out());
    if (m) return m;
    if (done || Date.now() > deadline) throw new Error(`no ${re} in stdout: ${s.out()} / stderr: ${s.err()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopServe(s: Served): Promise<void> {
  await s.child.kill();
}

test('a taken port: exit non-zero with a clear message and no demo keys; then a normal start prints them', async () => {
  const fresh = join(dir, 'port.db');
  const blocker = createServer();
  await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
  const port = String((blocker.address() as AddressInfo).port);
  const first = serve(['--port', port, '--host', '127.0.0.1', '--db', fresh]);
  try {
    const code = await first.exited;
    assert.notEqual(code, 0);
    assert.match(first.err(), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));
    assert.ok(!first.out().includes('Created demo API keys'), first.out());
  } finally {
    await stopServe(first);
    await new Promise((res) => blocker.close(res));
  }
  const rows = JSON.parse(ok(await cli('keys', 'list', '--json', '--db', fresh)));
  assert.deepEqual(rows, [], 'the store is still keyless');

  const second = serve(['--port', '0', '--host', '127.0.0.1', '--db', fresh], { LOG_LEVEL: 'info' });
  try {
    const [, url] = await waitFor(second, /ordergate listening on (http:\/\/\S+)/);
    assert.match(second.out(), /Created demo API keys \(shown once/);
    const printed = second.out().slice(0, second.out().indexOf('ordergate listening'));
    assert.match(printed, /1000000001\s+classic\s+bg_[0-9a-f]{32}/);
    assert.match(printed, /1000000002\s+unified\s+bg_[0-9a-f]{32}/);
    assert.match(second.out(), new RegExp(`store: sqlite ${fresh.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

    // a 4xx answer is logged at info in one compact line, without secrets
    const res = await fetch(`${url}/api/v2/mix/order/orders-pending?productType=USDT-FUTURES`, {
      headers: { 'access-key': 'bg_nope', 'access-sign': 'c2lnbmF0dXJl', 'access-passphrase': 'pass-secret', 'access-timestamp': String(Date.now()), 'x-request-id': 'req-4xx-1' },
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, '40006');
    const line = (await waitFor(second, /^.*"reqId":"req-4xx-1".*$/m))[0];
    const rec = JSON.parse(line);
    assert.equal(rec.level, 30, 'info');
    assert.deepEqual(
      { method: rec.method, path: rec.path, status: rec.status, code: rec.code },
      { method: 'GET', path: '/api/v2/mix/order/orders-pending', status: 400, code: '40006' },
    );
    assert.ok(!line.includes('c2lnbmF0dXJl') && !line.includes('pass-secret') && !line.includes('productType'), line);
    assert.equal(second.out().match(/"reqId":"req-4xx-1"/g)?.length, 1, 'one line');
    const health = await fetch(`${url}/health`);
    assert.deepEqual(await health.json(), { status: 'ok', store: 'sqlite' });
  } finally {
    await stopServe(second);
  }
});

test('keys and fill say which store they used', async () => {
  const r = await cli('keys', 'list');
  ok(r);
  assert.equal(r.stderr, `store: sqlite ${db}\n`);
  const pg = await cli('keys', 'list', '--database-url', 'postgres://u:hunter2@127.0.0.1:1/nodb?schema=s1');
  assert.notEqual(pg.code, 0);
  assert.match(pg.stderr, /^store: postgres 127\.0\.0\.1:1\/nodb schema s1\n/);
  assert.ok(!pg.stderr.includes('hunter2'), 'no password printed');
});

test('--server: keys and fill go through a running server\'s admin API', async () => {
  const other = join(dir, 'server-side.db'); // not the CLI's store: only --server can reach it
  const og: OrdergateApp = await createApp({ ...loadConfig({}), dbPath: other, adminToken: 'adm', logLevel: 'silent', demoKeys: false, rateLimit: false, keyPollMs: 100 });
  try {
    const url = await og.app.listen({ port: 0, host: '127.0.0.1' });
    const s = { og } as TestServer;
    const viaServer = (...args: string[]) => cliEnv({ ORDERGATE_ADMIN_TOKEN: 'adm' }, ...args, '--server', url);
    const made = JSON.parse(ok(await viaServer('keys', 'create', '--uid', '9101', '--json')));
    assert.equal(made.uid, '9101');
    const key = { uid: made.uid, apiKey: made.apiKey, secretKey: made.secretKey, passphrase: made.passphrase } as TestKey;
    const placed = await call(s, key, 'POST', '/api/v2/spot/trade/place-order', { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.01' });
    assert.equal(placed.body.code, '00000', JSON.stringify(placed.body));
    const orderId: string = placed.body.data.orderId;

    // the CLI's own store does not have the order; the server does
    const local = await cli('fill', '--order-id', orderId);
    assert.match(local.stderr, /43001 The order does not exist/);
    assert.match(local.stderr, /store: sqlite /);
    const filled = await viaServer('fill', '--order-id', orderId, '--size', '0.004', '--json');
    assert.deepEqual(JSON.parse(ok(filled)), { orderId, symbol: 'BTCUSDT', category: 'SPOT', status: 'partially_filled', size: '0.01', filledSize: '0.004' });
    assert.equal(filled.stderr, `server: ${url}\n`);

    const listed = JSON.parse(ok(await viaServer('keys', 'list', '--json'))) as Array<{ apiKey: string; status: string }>;
    assert.deepEqual(listed.map((k) => [k.apiKey, k.status]), [[made.apiKey, 'active']]);
    assert.match(ok(await viaServer('keys', 'revoke', made.apiKey)), new RegExp(`revoked ${made.apiKey}`));
    assert.equal((await call(s, key, 'GET', '/api/v2/spot/trade/unfilled-orders')).body.code, '40006', 'refused at once');
    const again = await viaServer('keys', 'revoke', made.apiKey);
    assert.match(again.stderr, new RegExp(`no active key ${made.apiKey}`));

    const noToken = await cli('keys', 'list', '--server', url);
    assert.notEqual(noToken.code, 0);
    assert.match(noToken.stderr, /--server needs the server's admin token in ORDERGATE_ADMIN_TOKEN/);
    const wrong = await cliEnv({ ORDERGATE_ADMIN_TOKEN: 'nope' }, 'keys', 'list', '--server', url);
    assert.match(wrong.stderr, /40014 Incorrect permissions, need admin permissions/);
    const gone = createServer();
    await new Promise<void>((res) => gone.listen(0, '127.0.0.1', res));
    const freePort = (gone.address() as AddressInfo).port;
    await new Promise((res) => gone.close(res)); // nothing listens there now
    const down = await cliEnv({ ORDERGATE_ADMIN_TOKEN: 'adm' }, 'keys', 'list', '--server', `http://127.0.0.1:${freePort}`);
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, new RegExp(`cannot reach ordergate at http://127\\.0\\.0\\.1:${freePort}: ECONNREFUSED`));
  } finally {
    await og.close();
  }
  // a server without an admin token serves no admin API
  const plain: OrdergateApp = await createApp({ ...loadConfig({}), dbPath: ':memory:', logLevel: 'silent', demoKeys: false, rateLimit: false, keyPollMs: 100 });
  try {
    const url = await plain.app.listen({ port: 0, host: '127.0.0.1' });
    const r = await cliEnv({ ORDERGATE_ADMIN_TOKEN: 'adm' }, 'keys', 'list', '--server', url);
    assert.match(r.stderr, /serves no admin API \(start it with ORDERGATE_ADMIN_TOKEN set\)/);
  } finally {
    await plain.close();
  }
});
