/**
 * Smart cancellation against a real listening ordergate with Bitget's rate limits ON:
 * batching to each endpoint's limit, pacing (no 429 reaches the caller — and without pacing
 * the server does answer 429), exact merged per-item reports, cancelAll across every family.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientUsageError, type CancelReport, type Category } from '../../src/client/index.js';
import { clientFor, openCount, seed, startLive, type LiveServer, type Seeded } from './fixtures.js';

const byCategory = (l: Seeded[]) => {
  const m = new Map<Category, Seeded[]>();
  for (const s of l) m.set(s.category, [...(m.get(s.category) ?? []), s]);
  return m;
};

describe('cancelOrders: 1,000 open orders across every family', () => {
  let s: LiveServer;
  before(async () => {
    s = await startLive();
  });
  after(async () => s.close());

  test('all cancelled, no 429 reaches the caller, exact merged report, minimal batch count', async () => {
    const classic: Seeded[] = [
      ...(await seed(s, s.classic, false, 'SPOT', 'BTCUSDT', 150)),
      ...(await seed(s, s.classic, false, 'SPOT', 'ETHUSDT', 100)),
      ...(await seed(s, s.classic, false, 'MARGIN', 'BTCUSDT', 100, 'crossed')),
      ...(await seed(s, s.classic, false, 'MARGIN', 'ETHUSDT', 100, 'isolated')),
      ...(await seed(s, s.classic, false, 'USDT-FUTURES', 'BTCUSDT', 100)),
      ...(await seed(s, s.classic, false, 'USDT-FUTURES', 'ETHUSDT', 50)),
      ...(await seed(s, s.classic, false, 'COIN-FUTURES', 'BTCUSD', 50)),
      ...(await seed(s, s.classic, false, 'USDC-FUTURES', 'BTCPERP', 50)),
    ];
    const unified: Seeded[] = [
      ...(await seed(s, s.unified, true, 'SPOT', 'BTCUSDT', 60)),
      ...(await seed(s, s.unified, true, 'SPOT', 'ETHUSDT', 40)),
      ...(await seed(s, s.unified, true, 'MARGIN', 'BTCUSDT', 50)),
      ...(await seed(s, s.unified, true, 'USDT-FUTURES', 'BTCUSDT', 100)),
      ...(await seed(s, s.unified, true, 'COIN-FUTURES', 'BTCUSD', 50)),
    ];
    assert.equal(classic.length + unified.length, 1000);
    assert.equal(await openCount(s, s.classic.uid), 700);
    assert.equal(await openCount(s, s.unified.uid), 300);

    const cc = clientFor(s, s.classic, { accountMode: 'classic' });
    const uc = clientFor(s, s.unified, { accountMode: 'unified' });
    // half the refs by orderId, half by clientOid, input order shuffled within a category
    const refsOf = (l: Seeded[]) =>
      l.map((o, i) => ({ symbol: o.symbol, marginMode: o.marginMode, ...(i % 2 ? { orderId: o.orderId } : { clientOid: o.clientOid }) })).reverse();
    const t0 = Date.now();
    const runs: Array<{ input: Seeded[]; report: Promise<CancelReport> }> = [];
    for (const [client, list] of [[cc, classic], [uc, unified]] as const) {
      for (const [category, l] of byCategory(list)) {
        // MARGIN (classic) carries both margin modes in one call: the client splits them
        runs.push({ input: [...l].reverse(), report: client.cancelOrders(category, refsOf(l)) });
      }
    }
    const reports = await Promise.all(runs.map((r) => r.report));
    const elapsed = Date.now() - t0;

    let total = 0;
    for (const [i, rep] of reports.entries()) {
      const input = runs[i].input;
      assert.equal(rep.items.length, input.length);
      rep.items.forEach((item, k) => {
        const want = input[k];
        assert.deepEqual(
          { ok: item.ok, orderId: item.orderId, clientOid: item.clientOid, symbol: item.symbol, category: item.category },
          { ok: true, orderId: want.orderId, clientOid: want.clientOid, symbol: want.symbol, category: want.category },
        );
      });
      assert.equal(rep.successList.length, input.length);
      assert.deepEqual(rep.failureList, []);
      assert.deepEqual(rep.errors, []);
      total += rep.successList.length;
    }
    assert.equal(total, 1000);
    const cs = cc.transport.snapshot();
    const us = uc.transport.snapshot();
    // paced under 10/s (v2) and 5/s (v3): the server never had to refuse
    assert.equal(cs.http429 + us.http429, 0, `429s seen: ${JSON.stringify({ cs, us })}`);
    assert.equal(cs.retries + us.retries, 0);
    // batches: v2 by symbol in 50s: SPOT 3+2, MARGIN 2+2, USDT 2+1, COIN 1, USDC 1 = 14; v3 in 20s per category: 5+3+5+3 = 16
    assert.equal(cs.requests, 14);
    assert.equal(us.requests, 16);
    assert.equal(await openCount(s, s.classic.uid), 0);
    assert.equal(await openCount(s, s.unified.uid), 0);
    // v3 is the bottleneck: 16 batches on cancel-batch (5/s) need at least 3 full windows
    assert.ok(elapsed >= 3000, `elapsed ${elapsed} ms`);
    assert.ok(elapsed < 20_000, `elapsed ${elapsed} ms`);
  });
});

describe('pacing is what keeps 429s away', () => {
  let s: LiveServer;
  before(async () => {
    s = await startLive();
  });
  after(async () => s.close());

  test('unpaced, the server answers 429 (retried, report still exact); paced, none', async () => {
    const a = await seed(s, s.classic, false, 'SPOT', 'BTCUSDT', 90);
    const unpaced = clientFor(s, s.classic, { accountMode: 'classic', pacing: { enabled: false }, retry: { baseDelayMs: 50 } });
    const r1 = await unpaced.cancelOrders('SPOT', a.map((o) => ({ symbol: o.symbol, orderId: o.orderId })), { batchSize: 5, concurrency: 6 });
    assert.equal(r1.successList.length, 90);
    assert.deepEqual(r1.failureList, []);
    assert.ok(r1.stats.http429 > 0, 'server enforced its 10/s limit');
    assert.equal(r1.stats.retries, r1.stats.http429);

    const b = await seed(s, s.other, false, 'SPOT', 'BTCUSDT', 90);
    const paced = clientFor(s, s.other, { accountMode: 'classic' });
    const r2 = await paced.cancelOrders('SPOT', b.map((o) => ({ symbol: o.symbol, orderId: o.orderId })), { batchSize: 5, concurrency: 6 });
    assert.equal(r2.successList.length, 90);
    assert.equal(r2.stats.requests, 18);
    assert.equal(r2.stats.http429, 0);
    assert.ok(r2.durationMs >= 1000, 'paced: 18 requests at 10/s take more than a second');
  });
});

describe('per-item outcomes are merged exactly', () => {
  let s: LiveServer;
  before(async () => {
    s = await startLive();
  });
  after(async () => s.close());

  test('unknown, finished, duplicate and foreign refs: Bitget codes per family, one item per order', async () => {
    const spot = await seed(s, s.classic, false, 'SPOT', 'BTCUSDT', 3);
    const mix = await seed(s, s.classic, false, 'USDT-FUTURES', 'BTCUSDT', 3);
    const uta = await seed(s, s.unified, true, 'SPOT', 'BTCUSDT', 3);
    const foreign = await seed(s, s.other, false, 'SPOT', 'BTCUSDT', 1);
    await s.og.engine.fill(spot[1].orderId);
    await s.og.engine.fill(mix[1].orderId);
    await s.og.engine.fill(uta[1].orderId);
    const cc = clientFor(s, s.classic, { accountMode: 'classic' });
    const uc = clientFor(s, s.unified); // auto: probes /api/v3/account/settings

    const rs = await cc.cancelOrders('SPOT', [
      { symbol: 'BTCUSDT', orderId: spot[0].orderId },
      { symbol: 'BTCUSDT', orderId: '1234567890123456789' },
      { symbol: 'BTCUSDT', orderId: spot[1].orderId },
      { symbol: 'BTCUSDT', orderId: spot[0].orderId }, // duplicate: reported once
      { symbol: 'BTCUSDT', clientOid: spot[2].clientOid },
      { symbol: 'BTCUSDT', orderId: foreign[0].orderId },
    ]);
    assert.deepEqual(
      rs.items.map((i) => [i.orderId || i.clientOid, i.ok, i.code ?? '']),
      [
        [spot[0].orderId, true, ''],
        ['1234567890123456789', false, '43001'],
        [spot[1].orderId, false, '43001'],
        [spot[2].orderId, true, ''],
        [foreign[0].orderId, false, '43001'],
      ],
    );
    assert.deepEqual(rs.summary, [{ category: 'SPOT', requested: 5, cancelled: 2, failed: 3 }]);
    assert.equal(rs.failureList.length, 3);

    const rm = await cc.cancelOrders('USDT-FUTURES', [
      { symbol: 'BTCUSDT', orderId: mix[1].orderId },
      { symbol: 'BTCUSDT', orderId: '1234567890123456789' },
      { symbol: 'ETHUSDT', orderId: mix[0].orderId }, // wrong symbol = not found
      { symbol: 'BTCUSDT', clientOid: mix[2].clientOid },
    ]);
    assert.deepEqual(
      rm.items.map((i) => [i.ok, i.code ?? '']),
      [
        [false, '40769'],
        [false, '40768'],
        [false, '40768'],
        [true, ''],
      ],
    );

    const ru = await uc.cancelOrders('SPOT', [
      { symbol: 'BTCUSDT', orderId: uta[0].orderId },
      { symbol: 'BTCUSDT', orderId: uta[1].orderId },
      { symbol: 'BTCUSDT', orderId: '1234567890123456789' },
    ]);
    assert.deepEqual(
      ru.items.map((i) => [i.ok, i.code ?? '']),
      [
        [true, ''],
        [false, '45134'],
        [false, '25204'],
      ],
    );
    assert.equal(await uc.accountMode(), 'unified');
    assert.equal(await clientFor(s, s.classic).accountMode(), 'classic');
  });

  test('bad refs are refused before anything is sent', async () => {
    const cc = clientFor(s, s.classic, { accountMode: 'classic' });
    const before = cc.transport.snapshot().requests;
    await assert.rejects(cc.cancelOrders('SPOT', [{ symbol: 'BTCUSDT' }]), ClientUsageError);
    await assert.rejects(cc.cancelOrders('SPOT', [{ symbol: '', orderId: '1' }]), ClientUsageError);
    assert.equal(cc.transport.snapshot().requests, before);
  });

  test('a request-level error fails the batch with its code; wrong credentials stop the run', async () => {
    const open0 = await openCount(s, s.classic.uid);
    const o = await seed(s, s.classic, false, 'SPOT', 'BTCUSDT', 120);
    const ro = clientFor(s, s.readOnly, { accountMode: 'classic' });
    const r = await ro.cancelOrders('SPOT', o.map((x) => ({ symbol: x.symbol, orderId: x.orderId })), { concurrency: 1 });
    assert.equal(r.failureList.length, 120);
    assert.ok(r.items.every((i) => i.code === '40014' && i.msg === 'Incorrect permissions, need spot order write permissions'), JSON.stringify(r.items[0]));
    assert.equal(r.stats.requests, 1, 'an auth error is not repeated for the other two batches');
    assert.equal(await openCount(s, s.classic.uid), open0 + 120);
    const bad = clientFor(s, { ...s.classic, passphrase: 'wrong-pass' });
    await assert.rejects(bad.cancelAll(), (e: any) => e.code === '40012' && e.msg === 'apikey/password is incorrect');
  });
});

describe('cancelAll clears every family', () => {
  let s: LiveServer;
  before(async () => {
    s = await startLive();
  });
  after(async () => s.close());

  test('classic and unified accounts: dry run lists, real run cancels everything, nothing left', async () => {
    await seed(s, s.classic, false, 'SPOT', 'BTCUSDT', 120);
    await seed(s, s.classic, false, 'SPOT', 'SOLUSDT', 5);
    await seed(s, s.classic, false, 'MARGIN', 'BTCUSDT', 60, 'crossed');
    await seed(s, s.classic, false, 'MARGIN', 'ETHUSDT', 55, 'isolated');
    await seed(s, s.classic, false, 'USDT-FUTURES', 'ETHUSDT', 130);
    await seed(s, s.classic, false, 'COIN-FUTURES', 'ETHUSD', 7);
    await seed(s, s.classic, false, 'USDC-FUTURES', 'BTCPERP', 3);
    await seed(s, s.unified, true, 'SPOT', 'ETHUSDT', 45);
    await seed(s, s.unified, true, 'MARGIN', 'ETHUSDT', 21);
    await seed(s, s.unified, true, 'USDT-FUTURES', 'BTCUSDT', 101);
    await seed(s, s.unified, true, 'USDC-FUTURES', 'BTCPERP', 2);
    const other = await seed(s, s.other, false, 'SPOT', 'BTCUSDT', 4);
    const cc = clientFor(s, s.classic);
    const uc = clientFor(s, s.unified);

    const dry = await cc.cancelAll({ dryRun: true });
    assert.equal(dry.dryRun, true);
    assert.deepEqual(
      dry.summary.map((x) => [x.category, x.marginMode ?? '', x.requested]),
      [
        ['SPOT', '', 125],
        ['MARGIN', 'crossed', 60],
        ['MARGIN', 'isolated', 55],
        ['USDT-FUTURES', '', 130],
        ['COIN-FUTURES', '', 7],
        ['USDC-FUTURES', '', 3],
      ],
    );
    assert.equal(await openCount(s, s.classic.uid), 380);

    const [rc, ru] = await Promise.all([cc.cancelAll(), uc.cancelAll()]);
    assert.deepEqual(
      rc.summary.map((x) => [x.category, x.marginMode ?? '', x.cancelled, x.failed]),
      [
        ['SPOT', '', 125, 0],
        ['MARGIN', 'crossed', 60, 0],
        ['MARGIN', 'isolated', 55, 0],
        ['USDT-FUTURES', '', 130, 0],
        ['COIN-FUTURES', '', 7, 0],
        ['USDC-FUTURES', '', 3, 0],
      ],
    );
    assert.deepEqual(
      ru.summary.map((x) => [x.category, x.cancelled, x.failed]),
      [
        ['SPOT', 45, 0],
        ['MARGIN', 21, 0],
        ['USDT-FUTURES', 101, 0],
        ['USDC-FUTURES', 2, 0],
      ],
    );
    for (const r of [rc, ru]) {
      assert.equal(r.remaining, 0);
      assert.deepEqual(r.errors, []);
      assert.equal(r.stats.http429, 0);
      assert.ok(r.items.every((i) => i.ok && i.symbol !== '' && i.orderId !== ''));
    }
    assert.equal(await openCount(s, s.classic.uid), 0);
    assert.equal(await openCount(s, s.unified.uid), 0);
    // another account's orders are untouched
    assert.equal(await openCount(s, s.other.uid), other.length);
  });

  test('category and symbol filters narrow the run', async () => {
    await seed(s, s.classic, false, 'SPOT', 'BTCUSDT', 4);
    await seed(s, s.classic, false, 'SPOT', 'ETHUSDT', 3);
    await seed(s, s.classic, false, 'USDT-FUTURES', 'BTCUSDT', 2);
    const cc = clientFor(s, s.classic, { accountMode: 'classic' });
    // BTCUSD exists in no SPOT list: treated as "no orders there", not an error
    const r = await cc.cancelAll({ categories: ['SPOT'], symbols: ['ethusdt', 'BTCUSD'] });
    assert.deepEqual(r.summary, [{ category: 'SPOT', requested: 3, cancelled: 3, failed: 0 }]);
    assert.deepEqual(r.errors, []);
    assert.equal(await openCount(s, s.classic.uid), 6);
    const r2 = await cc.cancelAll({ categories: ['USDT-FUTURES', 'SPOT'], symbols: ['BTCUSDT'] });
    assert.deepEqual(
      r2.summary.map((x) => [x.category, x.cancelled]),
      [
        ['SPOT', 4],
        ['USDT-FUTURES', 2],
      ],
    );
    assert.equal(await openCount(s, s.classic.uid), 0);
  });
});
