// test-file-limit: 240s
/**
 * Across instances (issue 12 item 5), always on the machine's PostgreSQL (a fresh schema, in
 * both passes of the suite): three in-process ordergate apps listen on one schema. Clients
 * connected to instance A (bitget-api WebsocketClientV2 `orders`, ccxt pro watchOrders, the
 * SDK v3 `order` topic) see every order placed, filled and cancelled on instances B and C —
 * concurrently, over REST and by the engine — as pushes, in the one commit order of the store,
 * none missing, none twice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp, type OrdergateApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createKey } from '../../src/accounts/keys.js';
import { dropPostgresSchema } from '../../src/store/postgres/index.js';
import { freshSchemaUrl, type TestKey } from '../helpers.js';
import { MIX, UTA, assertMatchesCommits, type Flow } from './flows.js';
import { recordOrders, until } from './helpers.js';
import { ccxtPro, sdkV2, sdkV3, type Receiver } from './receivers.js';

interface Instance {
  og: OrdergateApp;
  baseUrl: string;
  rec: ReturnType<typeof recordOrders>;
}

describe('WebSocket pushes across instances on one PostgreSQL schema', { timeout: 220_000 }, () => {
  const url = freshSchemaUrl('wsi');
  const inst: Instance[] = [];
  const receivers: Receiver[] = [];
  let classic: TestKey;
  let unified: TestKey;

  before(async () => {
    for (let i = 0; i < 3; i++) {
      const og = await createApp({ ...loadConfig({}), dbPath: ':memory:', databaseUrl: url, logLevel: 'silent', demoKeys: false, rateLimit: false, keyPollMs: 100, masterKey: 'ab'.repeat(32) });
      const baseUrl = await og.app.listen({ host: '127.0.0.1', port: 0 });
      inst.push({ og, baseUrl, rec: recordOrders(og.events) });
    }
    const mk = async (uid: string, mode: 'classic' | 'unified') => {
      const k = await createKey(inst[0].og.store.keys, inst[0].og.master, { uid, mode, permission: 'trade', ips: [] });
      return { uid, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase };
    };
    classic = await mk('5001', 'classic');
    unified = await mk('5002', 'unified');
    for (const i of inst) await i.og.keyring.refresh();
  });
  after(async () => {
    for (const r of receivers) await r.close().catch(() => undefined);
    for (const i of inst) i.rec.close();
    await Promise.allSettled(inst.map((i) => i.og.close()));
    await dropPostgresSchema(url);
  });

  /** B and C at once: each places 3 batches of 20, fills one of the other's orders, cancels some of its own and some of the other's; then both cancel-all. */
  async function workload(flow: Flow, k: TestKey): Promise<void> {
    const [, b, c] = inst;
    const ids: string[][] = [[], []];
    await Promise.all(
      [b, c].map(async (x, n) => {
        for (let round = 0; round < 3; round++) {
          ids[n].push(...(await flow.placeMany(x.baseUrl, k, 20)));
          const theirs = ids[1 - n];
          if (theirs.length > round) {
            try {
              await x.og.engine.fill(theirs[round], '0.005');
            } catch {
              /* cancelled by the other instance meanwhile: a refused unit, no event */
            }
          }
          await flow.cancelMany(x.baseUrl, k, ids[n].slice(round * 20 + 10, round * 20 + 15));
        }
      }),
    );
    await Promise.all([flow.cancelAll(b.baseUrl, k), flow.cancelAll(c.baseUrl, k)]);
  }

  /** Waits until A's clients saw as many pushes as the store committed, then checks them. */
  async function check(flow: Flow, k: TestKey, rs: Receiver[], from: number): Promise<void> {
    const truth = () => inst[0].rec.list.filter((c) => c.uid === k.uid && c.seq > from);
    // every instance recorded the same stream (the truth the pushes are checked against)
    await until(() => inst.every((i) => i.rec.list.length === inst[0].rec.list.length) && truth().length > 0, 60_000);
    const n = truth().length;
    await until(() => rs.every((r) => r.items.length >= n), 60_000);
    await new Promise((r) => setTimeout(r, 300)); // a moment for duplicates to show up
    const json = (i: Instance) => JSON.stringify(i.rec.list.filter((c) => c.seq > from));
    assert.equal(json(inst[1]), json(inst[0]));
    assert.equal(json(inst[2]), json(inst[0]));
    for (const r of rs) assertMatchesCommits(flow, r.items, inst[0].rec.list, k.uid, from);
    const cancels = truth().filter((c) => c.status === 'cancelled');
    assert.ok(cancels.length >= 60, `${cancels.length} cancels`);
    for (const c of cancels) assert.equal(c.cancelReason, 'normal_cancel');
    assert.equal(truth().filter((c) => c.status === 'live').length, 120, 'every placement pushed once');
  }

  it('v2 orders (SDK) and ccxt pro watchOrders on A see B and C placing, filling and cancelling', async () => {
    const from = inst[0].rec.list.at(-1)?.seq ?? 0;
    const sdk = await sdkV2(inst[0].baseUrl, classic, 'USDT-FUTURES', 'orders');
    const pro = await ccxtPro(inst[0].baseUrl, classic, false, 'BTC/USDT:USDT');
    receivers.push(sdk, pro);
    await workload(MIX, classic);
    await check(MIX, classic, [sdk, pro], from);
    assert.ok(sdk.items.some((i) => i.status === 'partially_filled'), 'a fill from another instance was pushed');
  });

  it('v3 order (SDK) on A sees B and C placing, filling and cancelling', async () => {
    const from = inst[0].rec.list.at(-1)?.seq ?? 0;
    const sdk = await sdkV3(inst[0].baseUrl, unified);
    receivers.push(sdk);
    await workload(UTA, unified);
    await check(UTA, unified, [sdk], from);
  });
});
