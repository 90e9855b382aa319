/**
 * Pacer: at most `limit` request lifetimes per window, a window counted from each answer;
 * callers served in order; a 429 pauses the endpoint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer, PacerRegistry } from '../../src/client/index.js';
import { sleep } from '../../src/client/pacer.js';

test('the (N+1)-th request leaves no earlier than one window after the 1st answered', async () => {
  const p = new Pacer(3, 150);
  const log: Array<{ i: number; out: number; back: number }> = [];
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: 9 }, async (_, i) => {
      const release = await p.acquire();
      const out = Date.now() - t0;
      await sleep(i % 2 ? 30 : 5); // uneven server latency
      const back = Date.now() - t0;
      release();
      log.push({ i, out, back });
    }),
  );
  log.sort((a, b) => a.out - b.out || a.i - b.i);
  assert.deepEqual(
    [...log].sort((a, b) => a.i - b.i).map((x) => x.i),
    [0, 1, 2, 3, 4, 5, 6, 7, 8],
  );
  for (let k = 0; k < log.length; k++) {
    // when request k left, at most 2 earlier ones were in flight or answered less than 150 ms before
    const busy = log.slice(0, k).filter((x) => x.back + 150 - 2 > log[k].out);
    assert.ok(busy.length <= 2, `request ${k} left at ${log[k].out} while ${JSON.stringify(busy)} held slots`);
  }
  // callers are served in call order
  assert.deepEqual(
    log.map((x) => x.i),
    [0, 1, 2, 3, 4, 5, 6, 7, 8],
  );
  const total = log[log.length - 1].out;
  assert.ok(total >= 300 && total < 1000, `9 requests at 3 per 150 ms took ${total} ms`);
});

test('an in-flight request keeps its slot until released', async () => {
  const p = new Pacer(1, 50);
  const r1 = await p.acquire();
  let second = false;
  const next = p.acquire().then((r) => {
    second = true;
    return r;
  });
  await sleep(120);
  assert.equal(second, false, 'the window only starts at the answer');
  const t = Date.now();
  r1();
  (await next)();
  assert.ok(Date.now() - t >= 45);
  assert.equal(p.held(), 1);
});

test('pause() after a 429 holds every start for that long', async () => {
  const p = new Pacer(10, 100);
  p.pause(120);
  const t = Date.now();
  (await p.acquire())();
  assert.ok(Date.now() - t >= 115);
});

test('a disabled registry does not wait; an enabled one shares a pacer per path', async () => {
  const off = new PacerRegistry({ enabled: false });
  const t = Date.now();
  for (let i = 0; i < 50; i++) (await off.acquire('/x', 1))();
  assert.ok(Date.now() - t < 2000); // enabled, 50 starts at 1/s would take 49 s
  const on = new PacerRegistry({ marginMs: 0 });
  assert.equal(on.pacer('/a', 10), on.pacer('/a', 10));
  assert.notEqual(on.pacer('/a', 10), on.pacer('/b', 10));
  assert.equal(on.pacer('/a', 10).windowMs, 1000);
  assert.equal(new PacerRegistry({ utilisation: 0.5 }).pacer('/c', 10).limit, 5);
  assert.throws(() => new Pacer(0, 100), RangeError);
});
