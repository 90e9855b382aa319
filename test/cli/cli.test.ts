/**
 * The `ordergate` command line as an operator uses it: real processes on a SQLite file in a
 * temporary directory, next to an in-process server on the same file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type OrdergateApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { call, type TestKey, type TestServer } from '../helpers.js';
import { ensureCliBuilt, runCli } from '../support/children.js';

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
async function cli(...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ORDERGATE_DB: db, LOG_LEVEL: 'silent' };
  delete env.ORDERGATE_MASTER_KEY;
  delete env.DATABASE_URL;
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
