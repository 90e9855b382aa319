/**
 * `ordergate cancel`: ids-file parsing, credentials, dry run, JSON and table output, exit
 * codes, progress only on a TTY — and the real command line clearing every family of a
 * running ordergate.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseIdsFile, runCancel, type CancelCliOptions } from '../../src/cli/cancel.js';
import type { TestKey } from '../helpers.js';
import { ensureCliBuilt, runCli } from '../support/children.js';
import { openCount, seed, startLive, type LiveServer } from '../client/fixtures.js';


/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('ids file', () => {
  test('JSON array, JSON lines, key=value tokens, bare ids, comments, defaults', () => {
    assert.deepEqual(parseIdsFile('[{"category":"spot","symbol":"btcusdt","orderId":"1"},{"category":"MARGIN","symbol":"ETHUSDT","clientOid":"c","marginMode":"isolated"}]', {}), [
      { category: 'SPOT', symbol: 'BTCUSDT', orderId: '1' },
      { category: 'MARGIN', symbol: 'ETHUSDT', clientOid: 'c', marginMode: 'isolated' },
    ]);
    const text = [
      '# one order per line',
      '',
      '1111',
      'symbol=ETHUSDT 2222',
      'category=USDT-FUTURES,symbol=BTCUSDT,clientOid=abc,marginCoin=USDT',
      '{"symbol":"BTCUSDT","orderId":"3333"}',
    ].join('\n');
    assert.deepEqual(parseIdsFile(text, { category: 'SPOT', symbol: 'BTCUSDT' }), [
      { category: 'SPOT', symbol: 'BTCUSDT', orderId: '1111' },
      { category: 'SPOT', symbol: 'ETHUSDT', orderId: '2222' },
      { category: 'USDT-FUTURES', symbol: 'BTCUSDT', clientOid: 'abc', marginCoin: 'USDT' },
      { category: 'SPOT', symbol: 'BTCUSDT', orderId: '3333' },
    ]);
  });

  test('errors name the line', () => {
    assert.throws(() => parseIdsFile('1111', {}), /line 1: no category/);
    assert.throws(() => parseIdsFile('category=SPOT 1111', {}), /line 1: no symbol/);
    assert.throws(() => parseIdsFile('\ncategory=SPOT symbol=X', {}), /line 2: no orderId or clientOid/);
    assert.throws(() => parseIdsFile('category=BONDS symbol=X 1', {}), /unknown category 'BONDS'/);
    assert.throws(() => parseIdsFile('category=SPOT symbol=X 1 2', {}), /two bare ids/);
    assert.throws(() => parseIdsFile('category=SPOT symbol=X side=buy 1', {}), /unknown field 'side'/);
    assert.throws(() => parseIdsFile('[{"symbol":', {}), /invalid JSON array/);
    assert.throws(() => parseIdsFile('category=MARGIN symbol=X marginMode=cross 1', {}), /crossed or isolated/);
  });
});

/** Runs the command in-process with captured output. */
async function cli(opts: CancelCliOptions, env: NodeJS.ProcessEnv, extra: { tty?: boolean; stdin?: string } = {}) {
  let out = '';
  let err = '';
  const code = await runCancel(opts, {
    stdout: { write: (x: string) => (out += x) },
    stderr: { write: (x: string) => (err += x), isTTY: extra.tty },
    env,
    readStdin: async () => extra.stdin ?? '',
  });
  return { code, out, err };
}

const envOf = (s: LiveServer, k: TestKey): NodeJS.ProcessEnv => ({
  BITGET_BASE_URL: s.baseUrl,
  BITGET_API_KEY: k.apiKey,
  BITGET_SECRET_KEY: k.secretKey,
  BITGET_PASSPHRASE: k.passphrase,
});

describe('ordergate cancel against a live server', () => {
  let s: LiveServer;
  before(async () => {
    s = await startLive();
  });
  after(async () => s.close());

  test('usage problems exit 2 and say why', async () => {
    const r1 = await cli({ all: true }, {});
    assert.equal(r1.code, 2);
    assert.match(r1.err, /missing credentials: --api-key\/BITGET_API_KEY, --secret-key\/BITGET_SECRET_KEY, --passphrase\/BITGET_PASSPHRASE/);
    const r2 = await cli({ all: true, idsFile: '-' }, envOf(s, s.classic));
    assert.equal(r2.code, 2);
    assert.match(r2.err, /exactly one of --all or --ids-file/);
    const r3 = await cli({ idsFile: '/nonexistent/ids.txt' }, envOf(s, s.classic));
    assert.equal(r3.code, 2);
    assert.match(r3.err, /cannot read ids file/);
    const r4 = await cli({ all: true, category: ['spot,bonds'] }, envOf(s, s.classic));
    assert.equal(r4.code, 2);
    assert.match(r4.err, /unknown category 'bonds'/);
    const r5 = await cli({ all: true, passphrase: 'wrong-pass' }, envOf(s, s.classic));
    assert.equal(r5.code, 2);
    assert.match(r5.err, /40012 apikey\/password is incorrect/);
    const r6 = await cli({ all: true, baseUrl: `http://127.0.0.1:${await closedPort()}`, retries: '0' }, envOf(s, s.classic));
    assert.equal(r6.code, 2);
    assert.match(r6.err, /network error ECONNREFUSED/);
  });

  test('--dry-run --json lists and cancels nothing; --all cancels; flags override the environment', async () => {
    await seed(s, s.classic, false, 'SPOT', 'BTCUSDT', 30);
    await seed(s, s.classic, false, 'USDT-FUTURES', 'BTCUSDT', 20);
    const env = { ...envOf(s, s.classic), BITGET_API_KEY: 'bg_wrong' };
    const flags = { apiKey: s.classic.apiKey };
    const dry = await cli({ ...flags, all: true, dryRun: true, json: true }, env);
    assert.equal(dry.code, 0, dry.err);
    const rep = JSON.parse(dry.out);
    assert.equal(rep.dryRun, true);
    assert.deepEqual(
      rep.summary.map((x: { category: string; requested: number }) => [x.category, x.requested]),
      [
        ['SPOT', 30],
        ['USDT-FUTURES', 20],
      ],
    );
    assert.equal(await openCount(s, s.classic.uid), 50);

    const real = await cli({ ...flags, all: true, category: ['USDT-FUTURES'] }, env);
    assert.equal(real.code, 0, real.err);
    assert.match(real.out, /^category\s+requested\s+cancelled\s+failed\n-+\s+-+\s+-+\s+-+\nUSDT-FUTURES\s+20\s+20\s+0\n/);
    assert.match(real.out, /still open afterwards 0/);
    assert.equal(real.err, '', 'no progress bar when stderr is not a TTY');
    assert.equal(await openCount(s, s.classic.uid), 30);
  });

  test('--ids-file: merged per-item report, failures listed with their code, exit 1', async () => {
    const spot = await seed(s, s.other, false, 'SPOT', 'ETHUSDT', 3);
    const dir = mkdtempSync(join(tmpdir(), 'og-cancel-'));
    const file = join(dir, 'ids.txt');
    writeFileSync(file, `${spot[0].orderId}\nclientOid=${spot[1].clientOid}\n1234567890123456789\n`);
    const r = await cli({ idsFile: file, category: ['spot'], symbol: ['ethusdt'] }, envOf(s, s.other));
    assert.equal(r.code, 1);
    assert.match(r.out, /SPOT\s+3\s+2\s+1/);
    assert.match(r.out, /Failed \(1\):/);
    assert.match(r.out, /SPOT\s+ETHUSDT\s+1234567890123456789\s+43001\s+The order does not exist/);
    assert.equal(await openCount(s, s.other.uid), 1);

    // stdin, JSON output
    const j = await cli({ idsFile: '-', json: true }, envOf(s, s.other), { stdin: `{"category":"SPOT","symbol":"ETHUSDT","orderId":"${spot[2].orderId}"}\n` });
    assert.equal(j.code, 0);
    const rep = JSON.parse(j.out);
    assert.deepEqual(rep.successList, [{ orderId: spot[2].orderId, clientOid: spot[2].clientOid }]);
    assert.deepEqual(rep.failureList, []);
    assert.equal(rep.stats.requests, 2, 'account probe + one batch');
  });

  test('a progress bar on stderr when it is a TTY and the run is long', async () => {
    await seed(s, s.otherUnified, true, 'SPOT', 'BTCUSDT', 150);
    const r = await cli({ all: true }, envOf(s, s.otherUnified), { tty: true });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /cancelling \[/);
    assert.match(r.out, /SPOT\s+150\s+150\s+0/);
  });

  test('the real command line: `ordergate cancel --all` clears every family of a running ordergate', async () => {
    await seed(s, s.classic, false, 'SPOT', 'ETHUSDT', 12);
    await seed(s, s.classic, false, 'MARGIN', 'BTCUSDT', 11, 'crossed');
    await seed(s, s.classic, false, 'MARGIN', 'ETHUSDT', 10, 'isolated');
    await seed(s, s.classic, false, 'COIN-FUTURES', 'BTCUSD', 9);
    await seed(s, s.classic, false, 'USDC-FUTURES', 'BTCPERP', 8);
    await seed(s, s.unified, true, 'MARGIN', 'ETHUSDT', 7);
    await seed(s, s.unified, true, 'USDT-FUTURES', 'BTCUSDT', 6);
    await ensureCliBuilt();
    const before = await openCount(s, s.classic.uid);
    assert.equal(before, 30 + 12 + 11 + 10 + 9 + 8);
    for (const k of [s.classic, s.unified]) {
      // the base URL comes from the flag here (the environment points nowhere)
      const r = await runCli(['cancel', '--all', '--base-url', s.baseUrl], {
        env: { ...process.env, ...envOf(s, k), BITGET_BASE_URL: 'http://127.0.0.1:1' },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /still open afterwards 0/);
    }
    assert.equal(await openCount(s, s.classic.uid), 0);
    assert.equal(await openCount(s, s.unified.uid), 0);
    // a failing run exits non-zero
    const failed = await runCli(['cancel', '--all'], { env: { ...process.env, ...envOf(s, s.classic), BITGET_PASSPHRASE: 'nope-nope' } });
    assert.equal(failed.code, 2, failed.stderr);
  });
});
