// test-file-limit: 300s
/**
 * End to end with the REAL engine and the store's own event stream (no fake bus), on the
 * suite's store (SQLite, or PostgreSQL with ORDERGATE_TEST_STORE=postgres): over a listening
 * ordergate, an order is placed over REST, partly filled (engine.fill, the admin fill's code),
 * 49 more are batch-placed and all 50 are batch-cancelled over REST. The unchanged clients —
 * bitget-api WebsocketClientV2 (`orders` futures and spot, `orders-crossed`),
 * WebsocketClientV3 (`order`), ccxt pro `watchOrders` classic and unified — receive the
 * placement, the fill and every cancel as pushes, with the channel's status spelling and
 * `cancelReason`, in commit order: the pushes equal the store's committed events for that
 * channel, none missing, none twice. Cancels from a cancel-all, from the CLI (a child process:
 * `ordergate cancel` over REST) and fills from the CLI on the same store (`ordergate fill`,
 * another process's commit: SQLite's bus finds it by polling, PostgreSQL's by NOTIFY) are
 * pushed too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestKey } from '../helpers.js';
import { ensureCliBuilt, runCli } from '../support/children.js';
import { MARGIN, MIX, SPOT, UTA, assertMatchesCommits, type Flow } from './flows.js';
import { recordOrders, startWsServer, until, type WsTestServer } from './helpers.js';
import { ccxtPro, sdkV2, sdkV3, type Receiver } from './receivers.js';

describe('WebSocket end to end with the real engine', { timeout: 280_000 }, () => {
  let s: WsTestServer;
  let rec: ReturnType<typeof recordOrders>;
  const receivers: Receiver[] = [];

  before(async () => {
    s = await startWsServer({}, { realBus: true, sqliteFile: true });
    rec = recordOrders(s.og.events);
  });
  after(async () => {
    for (const r of receivers) await r.close().catch(() => undefined);
    rec?.close();
    await s?.close();
  });

  const lastSeq = () => rec.list.at(-1)?.seq ?? 0;

  /** The scenario: place, partial fill, 49 more, batch-cancel all 50; returns the expected push list. */
  async function scenario(flow: Flow, k: TestKey, r: Receiver, tag: string): Promise<{ a: string; all: string[] }> {
    const count = (id: string, status: string) => r.items.filter((i) => i.orderId === id && flow.status(i) === status).length;
    const a = await flow.placeOne(s.baseUrl, k, `e2e-${tag}`);
    await until(() => count(a, flow.spelling.live) === 1, 15_000);
    await s.og.engine.fill(a, '0.005');
    await until(() => count(a, flow.spelling.partial) === 1, 15_000);
    const more = await flow.placeMany(s.baseUrl, k, 49);
    await until(() => more.every((id) => count(id, flow.spelling.live) === 1), 15_000);
    const all = [a, ...more];
    await flow.cancelMany(s.baseUrl, k, all);
    await until(() => all.every((id) => count(id, flow.spelling.cancelled) === 1), 15_000);
    const expected = [`${a} ${flow.spelling.live}`, `${a} ${flow.spelling.partial}`, ...more.map((id) => `${id} ${flow.spelling.live}`), ...all.map((id) => `${id} ${flow.spelling.cancelled}`)];
    assert.deepEqual(
      r.items.map((i) => `${i.orderId} ${flow.status(i)}`),
      expected,
    );
    const placed = r.items[0];
    assert.equal(placed.clientOid, `e2e-${tag}`);
    const partial = r.items[1];
    assert.equal(partial.orderId, a);
    for (const i of r.items.slice(51)) assert.equal(i.cancelReason, 'normal_cancel', `cancelReason of ${i.orderId}`);
    return { a, all };
  }

  for (const flow of [MIX, SPOT, MARGIN]) {
    it(`bitget-api WebsocketClientV2 ${flow.v2!.channel} ${flow.v2!.instType}: placement, fill and 50 batch cancels, in commit order`, async () => {
      const from = lastSeq();
      const r = await sdkV2(s.baseUrl, s.classic, flow.v2!.instType, flow.v2!.channel);
      receivers.push(r);
      await scenario(flow, s.classic, r, `sdk-${flow.category}`);
      assertMatchesCommits(flow, r.items, rec.list, s.classic.uid, from);
      await r.close();
    });
  }

  it('bitget-api WebsocketClientV3 order: placement, fill and 50 batch cancels, in commit order', async () => {
    const from = lastSeq();
    const r = await sdkV3(s.baseUrl, s.unified);
    receivers.push(r);
    await scenario(UTA, s.unified, r, 'sdk-v3');
    assertMatchesCommits(UTA, r.items, rec.list, s.unified.uid, from);
    await r.close();
  });

  for (const uta of [false, true]) {
    it(`ccxt pro watchOrders (${uta ? 'unified, v3 order' : 'classic, v2 orders'}): placement, fill and 50 batch cancels`, async () => {
      const flow = uta ? UTA : MIX;
      const k = uta ? s.unified : s.classic;
      const from = lastSeq();
      const r = await ccxtPro(s.baseUrl, k, uta, 'BTC/USDT:USDT');
      receivers.push(r);
      const { a, all } = await scenario(flow, k, r, uta ? 'ccxt-v3' : 'ccxt-v2');
      assertMatchesCommits(flow, r.items, rec.list, k.uid, from);
      // what the bot sees through watchOrders: open, then partly filled, then canceled
      await until(() => all.every((id) => r.parsed.some((o) => o.id === id && o.status === 'canceled')), 15_000);
      assert.ok(r.parsed.some((o) => o.id === a && o.status === 'open' && o.filled === 0));
      assert.ok(r.parsed.some((o) => o.id === a && o.status === 'open' && o.filled === 0.005));
      const finalA = r.parsed.filter((o) => o.id === a).at(-1);
      assert.equal(finalA.status, 'canceled');
      assert.equal(finalA.clientOrderId, uta ? 'e2e-ccxt-v3' : 'e2e-ccxt-v2');
      assert.equal(finalA.info.cancelReason, 'normal_cancel');
      assert.equal(r.errors.length, 0);
      await r.close();
    });
  }

  for (const flow of [MIX, UTA]) {
    it(`a cancel-all pushes every cancelled order (${flow.name})`, async () => {
      const k = flow.unified ? s.unified : s.classic;
      const from = lastSeq();
      const r = flow.unified ? await sdkV3(s.baseUrl, k) : await sdkV2(s.baseUrl, k, 'USDT-FUTURES', 'orders');
      receivers.push(r);
      const ids = await flow.placeMany(s.baseUrl, k, 7);
      await flow.cancelAll(s.baseUrl, k);
      await until(() => r.items.filter((i) => flow.status(i) === flow.spelling.cancelled).length === 7, 15_000);
      assert.deepEqual(new Set(r.items.filter((i) => flow.status(i) === flow.spelling.cancelled).map((i) => i.orderId)), new Set(ids));
      assertMatchesCommits(flow, r.items, rec.list, k.uid, from);
      await r.close();
    });
  }

  it('another process: `ordergate fill` on the same store and `ordergate cancel --all` are pushed', async () => {
    await ensureCliBuilt();
    const from = lastSeq();
    const r = await sdkV2(s.baseUrl, s.classic, 'USDT-FUTURES', 'orders');
    receivers.push(r);
    const ids = await MIX.placeMany(s.baseUrl, s.classic, 5);
    await until(() => r.items.length === 5, 15_000);
    // a fill committed by ANOTHER process on the same SQLite file / PostgreSQL schema
    const filled = await runCli(['fill', ...s.storeArgs, '--order-id', ids[2], '--size', '0.004', '--json'], { timeoutMs: 60_000 });
    assert.equal(filled.code, 0, filled.stderr);
    await until(() => r.items.some((i) => i.orderId === ids[2] && i.status === 'partially_filled'), 15_000);
    assert.equal(r.items.find((i) => i.status === 'partially_filled').accBaseVolume, '0.004');
    // the CLI's smart cancel over REST (a child process)
    const env = { ...process.env, BITGET_BASE_URL: s.baseUrl, BITGET_API_KEY: s.classic.apiKey, BITGET_SECRET_KEY: s.classic.secretKey, BITGET_PASSPHRASE: s.classic.passphrase };
    const cancelled = await runCli(['cancel', '--all'], { env, timeoutMs: 60_000 });
    assert.equal(cancelled.code, 0, cancelled.stderr);
    await until(() => r.items.filter((i) => i.status === 'canceled').length === 5, 15_000);
    for (const i of r.items.filter((x) => x.status === 'canceled')) assert.equal(i.cancelReason, 'normal_cancel');
    assertMatchesCommits(MIX, r.items, rec.list, s.classic.uid, from);
    await r.close();
  });
});
