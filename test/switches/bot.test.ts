// test-file-limit: 120s
/**
 * A real bot process (test/switches/bot.mjs: the unmodified bitget-api SDK's
 * `countdownCancelAll`) arms Bitget's countdown with 5 s, places orders and heartbeats; it is
 * killed with SIGKILL: its orders are cancelled within countdown + 1 s of its last arm (the
 * server records the deadline and when it fired), and the wall clock agrees with a generous
 * bound. On the suite's store (the server is in-process and listening).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { spawnChild, type Child } from '../support/children.js';
import { call, startTestServer, type TestServer } from '../helpers.js';

const BOT = join(fileURLToPath(new URL('.', import.meta.url)), 'bot.mjs');

let s: TestServer;
let baseUrl: string;
before(async () => {
  s = await startTestServer({ switchSweepMs: 200, rateLimit: true });
  baseUrl = await s.og.app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => s?.close());

async function waitLine(child: Child, pred: (o: any) => boolean, ms: number): Promise<any> {
  const end = Date.now() + ms;
  for (;;) {
    for (const line of child.stdout().split('\n')) {
      if (!line.startsWith('{')) continue;
      const o = JSON.parse(line);
      if (pred(o)) return o;
    }
    if (!child.alive()) throw new Error(`bot exited: ${child.output()}`);
    if (Date.now() > end) throw new Error(`bot said nothing in time: ${child.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a SIGKILLed bot: its orders are cancelled within countdown + 1 s of its last arm', async () => {
  const k = s.unified;
  const bot = spawnChild(process.execPath, [BOT, baseUrl, k.apiKey, k.secretKey, k.passphrase]);
  try {
    const { ids, switches } = await waitLine(bot, (o) => o.ready === true, 30_000);
    assert.equal(ids.length, 3);
    // the SDK's getPrivate reaches the extension API: Bitget's countdown is one of its switches
    assert.equal(switches[0].kind, 'countdown');
    assert.equal(switches[0].armed, true);
    assert.equal(switches[0].window, '5');
    await waitLine(bot, (o) => o.armed !== undefined && bot.stdout().split('"armed"').length > 2, 10_000); // at least one heartbeat
    await new Promise((r) => setTimeout(r, 500));
    for (const id of ids) assert.equal((await s.og.store.getOrder(k.uid, { orderId: id }))?.status, 'live', 'cancelled while the bot was alive');
  } catch (e) {
    await bot.kill();
    throw e;
  }
  const killedAt = Date.now();
  await bot.kill(); // SIGKILL to its process group
  const ids: string[] = (await waitLine(bot, (o) => o.ready === true, 0)).ids;
  const end = killedAt + 5_000 + 1_000 + 10_000; // generous wall-clock bound; the exact one is checked on the server's record
  for (;;) {
    const st = await Promise.all(ids.map((id) => s.og.store.getOrder(k.uid, { orderId: id })));
    if (st.every((o) => o?.status === 'cancelled')) {
      for (const o of st) assert.equal(o?.cancelReason, 'countdown_cancel_all');
      break;
    }
    assert.ok(Date.now() < end, 'orders not cancelled in time');
    await new Promise((r) => setTimeout(r, 50));
  }
  let sw: any;
  for (let i = 0; i < 100; i++) {
    sw = (await call(s, k, 'GET', '/api/ordergate/v1/switches')).body.data.find((x: { kind: string }) => x.kind === 'countdown');
    if (sw.lastFire) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const deadline = Number(sw.lastFire.deadline);
  const firedAt = Number(sw.lastFire.at);
  assert.ok(deadline <= killedAt + 5_000 + 1_000, 'the deadline is the last arm + 5 s (an arm in flight at the kill may land just after it)');
  assert.ok(firedAt >= deadline, 'fired before its deadline');
  assert.ok(firedAt - deadline <= 1_000, `fired ${firedAt - deadline} ms after the deadline`);
  assert.equal(sw.lastFire.cancelled, '3');
  assert.equal(sw.armed, false);
});

test("ccxt's implicit privateUtaPostV3TradeCountdownCancelAll arms and disarms Bitget's countdown", async () => {
  const { default: ccxt } = await import('ccxt');
  const k = s.otherUnified;
  const api = Object.fromEntries(['spot', 'mix', 'user', 'p2p', 'broker', 'margin', 'common', 'tax', 'convert', 'copy', 'earn', 'uta'].map((x) => [x, baseUrl]));
  const ex = new ccxt.bitget({ apiKey: k.apiKey, secret: k.secretKey, password: k.passphrase, urls: { api }, options: { uta: true }, enableRateLimit: false });
  const r = await (ex as unknown as Record<string, (p: object) => Promise<any>>).privateUtaPostV3TradeCountdownCancelAll({ countdown: '30' });
  assert.equal(r.data, 'success');
  const armed = (await call(s, k, 'GET', '/api/ordergate/v1/switches')).body.data[0];
  assert.equal(armed.armed, true);
  assert.equal(armed.window, '30');
  await new Promise((res) => setTimeout(res, 1_100)); // 1 request/s per UID
  await (ex as unknown as Record<string, (p: object) => Promise<any>>).privateUtaPostV3TradeCountdownCancelAll({ countdown: '0' });
  assert.equal((await call(s, k, 'GET', '/api/ordergate/v1/switches')).body.data[0].armed, false);
  await new Promise((res) => setTimeout(res, 1_100));
  await assert.rejects(
    (ex as unknown as Record<string, (p: object) => Promise<any>>).privateUtaPostV3TradeCountdownCancelAll({ countdown: '3' }),
    /40020/,
  );
});
