/**
 * Races (quick version; `npm run soak` runs bigger ones over real sockets): many
 * concurrent batch cancels, single cancels and cancel-alls over overlapping orders of one
 * UID. Each order must appear in exactly one successList; every other attempt on it is a
 * per-item failure with the dialect's "already finished" code. Also concurrent placements
 * sharing one clientOid: exactly one wins. Runs on every registered dialect.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers.js';
import { injectSender, registeredDialects, runRaces } from './drivers.js';

let s: TestServer;
before(async () => {
  s = await startTestServer();
});
after(() => s.close());

const dialects = registeredDialects();

test('the futures (mix) dialect is among the raced dialects', () => {
  assert.ok(dialects.some((d) => d.name === 'mix'));
});

for (const [i, d] of dialects.entries()) {
  test(`${d.name}: overlapping concurrent cancels succeed exactly once per order`, async () => {
    const key = d.account === 'classic' ? s.classic : s.unified;
    const fig = await runRaces(injectSender(s), key, d, { rounds: 3, orders: 40, attempts: 30, seed: 4242 + i });
    assert.deepEqual(fig.violations, []);
    assert.equal(fig.ordersRaced, 120);
    // every order was cancelled once; a spot cancel-symbol-order cancels without listing ids
    const scopeListsNothing = d.cancelAll().length > 0 && d.cancelAllResults({ list: [], successList: [] }) === null;
    if (scopeListsNothing) assert.ok(fig.successes <= fig.ordersRaced);
    else assert.equal(fig.successes, fig.ordersRaced);
    // the race was real: most attempts lost
    assert.ok(fig.perItemFailures > fig.successes, JSON.stringify(fig));
    assert.equal(fig.clientOidRaces, 3);
  });
}
