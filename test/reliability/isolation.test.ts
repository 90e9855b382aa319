/**
 * Isolation between UIDs, on every registered dialect: another UID can neither cancel nor
 * see an order by orderId or clientOid, and its answer is byte-for-byte the answer for an
 * order that never existed (the requested id echoed back aside). The same holds for an order
 * of the caller's own UID asked for through another dialect (category isolation).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestKey, type TestServer } from '../helpers.js';
import { injectSender, registeredDialects, type Dialect, type Req, type Res } from './drivers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());

const dialects = registeredDialects();
const send = (key: TestKey, req: Req) => injectSender(s)(key, req);

/** An answer with what legitimately differs between two requests removed. */
function normalised(r: Res, from: readonly string[], to: readonly string[]): unknown {
  let text = JSON.stringify({ ...r.body, requestTime: 0 });
  from.forEach((f, i) => (text = text.split(f).join(to[i])));
  const headers = { ...r.headers };
  for (const h of ['x-request-id', 'date', 'x-mbx-used-remain-limit']) delete headers[h];
  return { status: r.status, body: JSON.parse(text), headers };
}

/** A fresh id of the same length as `id` that no order has. */
const neverId = (id: string) => (BigInt(id) + 7_777_777n).toString();

async function placeOwned(d: Dialect, owner: TestKey, clientOid: string): Promise<{ orderId: string; clientOid: string }> {
  const r = await send(owner, d.placeBatch([clientOid]));
  assert.equal(r.body.code, '00000', JSON.stringify(r.body));
  const it = d.placeResults(r.body.data)[0];
  assert.ok(it.ok, JSON.stringify(it));
  return { orderId: it.orderId, clientOid: it.clientOid };
}

/** Every request `d` can aim at one order: cancels by id and by clientOid, and reads. */
function probes(d: Dialect, ref: { orderId?: string; clientOid?: string }): Req[] {
  return [d.cancelOne(ref), d.cancelBatch([ref]), ...d.reads(ref)];
}

async function ownerStatus(d: Dialect, owner: TestKey, orderId: string): Promise<string | undefined> {
  if (d.detail) return d.detail.status((await send(owner, d.detail.req({ orderId }))).body.data);
  return (await s.og.engine.getOrder(owner.uid, { orderId }))?.status;
}

for (const d of dialects) {
  const owner = () => (d.account === 'classic' ? s.classic : s.unified);
  const intruder = () => (d.account === 'classic' ? s.other : s.otherUnified);

  test(`${d.name}: another UID's answers about my order equal the answers about an order that never existed`, async () => {
    const mine = await placeOwned(d, owner(), `iso-${d.name}-mine`);
    const ghost = { orderId: neverId(mine.orderId), clientOid: `iso-${d.name}-mikh` }; // same lengths
    assert.equal(ghost.clientOid.length, mine.clientOid.length);
    let compared = 0;
    for (const [a, b] of [
      [{ orderId: mine.orderId }, { orderId: ghost.orderId }],
      [{ clientOid: mine.clientOid }, { clientOid: ghost.clientOid }],
    ] as const) {
      const pa = probes(d, a);
      const pb = probes(d, b);
      for (let i = 0; i < pa.length; i++) {
        const ra = await send(intruder(), pa[i]);
        const rb = await send(intruder(), pb[i]);
        assert.notEqual(ra.status, 500);
        assert.deepEqual(
          normalised(ra, [mine.orderId, mine.clientOid], [ghost.orderId, ghost.clientOid]),
          normalised(rb, [], []),
          `${pa[i].method} ${pa[i].path} tells my order apart from a missing one`,
        );
        if (pa[i].method === 'GET' && ra.body.code === '00000') assert.ok(!JSON.stringify(ra.body).includes(mine.orderId));
        compared++;
      }
    }
    assert.ok(compared >= 6);
    // the intruder's scope cancels do not reach my order either
    for (const req of d.cancelAll()) {
      const r = await send(intruder(), req);
      assert.equal(r.body.code, '00000');
      assert.ok(!JSON.stringify(r.body).includes(mine.orderId));
    }
    assert.equal(await ownerStatus(d, owner(), mine.orderId), 'live');
  });

  test(`${d.name}: clientOids are per UID — the intruder reusing mine touches only its own order`, async () => {
    const mine = await placeOwned(d, owner(), `iso-${d.name}-shared`);
    const theirs = await placeOwned(d, intruder(), `iso-${d.name}-shared`);
    assert.notEqual(theirs.orderId, mine.orderId);
    const r = await send(intruder(), d.cancelBatch([{ clientOid: mine.clientOid }]));
    const items = d.cancelResults(r.body.data);
    assert.deepEqual(items.filter((x) => x.ok).map((x) => x.orderId), [theirs.orderId]);
    assert.equal(await ownerStatus(d, owner(), mine.orderId), 'live');
    // and my own cancel by that clientOid finds mine, not theirs
    const mineCancel = d.cancelResults((await send(owner(), d.cancelBatch([{ clientOid: mine.clientOid }]))).body.data);
    assert.deepEqual(mineCancel.filter((x) => x.ok).map((x) => x.orderId), [mine.orderId]);
  });
}

test('category isolation: my order asked for through another dialect is an order that never existed', async () => {
  const classic = dialects.filter((d) => d.account === 'classic');
  let compared = 0;
  for (const d1 of classic) {
    const mine = await placeOwned(d1, s.classic, `cat-${d1.name}`.padEnd(24, 'x'));
    const ghost = { orderId: neverId(mine.orderId), clientOid: `cat-${d1.name}`.padEnd(24, 'y') };
    for (const d2 of classic.filter((x) => x !== d1)) {
      for (const [a, b] of [
        [{ orderId: mine.orderId }, { orderId: ghost.orderId }],
        [{ clientOid: mine.clientOid }, { clientOid: ghost.clientOid }],
      ] as const) {
        const pa = probes(d2, a);
        const pb = probes(d2, b);
        for (let i = 0; i < pa.length; i++) {
          const ra = await send(s.classic, pa[i]);
          const rb = await send(s.classic, pb[i]);
          assert.deepEqual(
            normalised(ra, [mine.orderId, mine.clientOid], [ghost.orderId, ghost.clientOid]),
            normalised(rb, [], []),
            `${d1.name} order through ${pa[i].path}`,
          );
          compared++;
        }
      }
    }
    assert.equal(await ownerStatus(d1, s.classic, mine.orderId), 'live');
  }
  assert.ok(compared >= 8 * classic.length * (classic.length - 1));
});
