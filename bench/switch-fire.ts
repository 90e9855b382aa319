/**
 * Kill-switch figures (issue 13), one process, a durable SQLite file (or PostgreSQL with
 * DATABASE_URL): `npx tsx bench/switch-fire.ts` (about 20 s; not part of `npm run bench`).
 *
 * 1. Fire: a UID with 10,000 open orders and an armed countdown; the clock is moved to the
 *    deadline and one sweep runs (claim, one cancel-all unit of 10,000 orders with its `switch`
 *    event, record). Reported: deadline -> cancel committed (the sweep's work; on a running
 *    server add up to one ORDERGATE_SWITCH_SWEEP_MS interval of waiting), median of 3.
 * 2. Cost of 10,000 armed switches on the cancel path: 400 batch cancels of 50 orders (by id)
 *    with no switch armed, then with 10,000 armed (not due) and the sweeper running every 200 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATEGORIES } from '../src/domain/types.js';
import { Engine } from '../src/engine/engine.js';
import { IdGenerator } from '../src/engine/ids.js';
import type { PlaceCommand } from '../src/engine/place.js';
import { startSwitchSweeper } from '../src/jobs/switch-sweeper.js';
import { loadCatalogue } from '../src/markets/catalogue.js';
import { PostgresStore, dropPostgresSchema } from '../src/store/postgres/index.js';
import { SqliteStore } from '../src/store/sqlite/index.js';
import type { OrderStore } from '../src/store/types.js';
import { SwitchService } from '../src/switches/service.js';

const N = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'og-bench-switch-'));
const pgUrl = process.env.DATABASE_URL
  ? (() => {
      const u = new URL(process.env.DATABASE_URL);
      u.searchParams.set('schema', `og_bench_sw_${Date.now().toString(36)}`);
      return u.toString();
    })()
  : undefined;

async function place(engine: Engine, uid: string, n: number): Promise<string[]> {
  const cmd = (): PlaceCommand => ({ uid, category: 'USDT-FUTURES', marginMode: 'crossed', symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '30000', size: '0.01', marginCoin: 'USDT' });
  const batches = await Promise.all(Array.from({ length: Math.ceil(n / 50) }, () => engine.place('mix', Array.from({ length: 50 }, cmd))));
  return batches.flat().flatMap((o) => (o.ok ? [o.orderId] : []));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const store: OrderStore = pgUrl ? await PostgresStore.open({ url: pgUrl }) : new SqliteStore({ path: join(dir, 'b.db') });
  let offset = 0;
  const engine = new Engine(store, loadCatalogue(), new IdGenerator(await store.instanceId()), () => Date.now() + offset);
  const switches = new SwitchService(engine);
  try {
    const fires: number[] = [];
    for (let run = 0; run < 3; run++) {
      const uid = `93000${run}`;
      await place(engine, uid, N);
      offset = 0;
      await switches.countdown(uid, 60);
      offset = 60_000;
      const t0 = performance.now();
      await switches.sweep();
      fires.push(performance.now() - t0);
      const left = await store.listOrders({ uid, categories: CATEGORIES, open: true, limit: 1 });
      if (left.length !== 0) throw new Error('orders left open');
    }
    offset = 0;
    console.log(`fire: deadline -> cancel of ${N} orders committed (claim + cancel-all + record): median ${median(fires).toFixed(0)} ms (${fires.map((x) => x.toFixed(0)).join(', ')})`);

    const cancelRound = async (tag: string): Promise<number> => {
      const ids = await place(engine, `94${tag}`, 400 * 50);
      const t0 = performance.now();
      for (let i = 0; i < 400; i++) {
        const items = ids.slice(i * 50, i * 50 + 50).map((orderId) => ({ ref: { orderId } }));
        await engine.cancel('mix', { uid: `94${tag}`, categories: ['USDT-FUTURES'] }, items);
      }
      return (performance.now() - t0) / 400;
    };
    await cancelRound('0000'); // warm-up (JIT, page cache), not reported
    const before = await cancelRound('0001');
    const now = Date.now();
    for (let i = 0; i < N; i++) {
      await store.switches.arm({ uid: `95${String(i).padStart(6, '0')}`, kind: 'countdown', scopeKey: '*:*', category: null, symbol: null, windowMs: 3_600_000, deadline: now + 3_600_000, now });
    }
    const sweeper = startSwitchSweeper(switches, 200);
    const withArmed = await cancelRound('0002');
    await sweeper.stop();
    console.log(`batch cancel of 50 by id, sequential: ${before.toFixed(2)} ms each with no switch, ${withArmed.toFixed(2)} ms with ${N} armed switches and the sweeper running`);
  } finally {
    await store.close();
    if (pgUrl) await dropPostgresSchema(pgUrl);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
