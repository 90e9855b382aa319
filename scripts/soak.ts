/**
 * `npm run soak`: the large version of the reliability suite (test/reliability/*.test.ts
 * run the quick one with the same drivers).
 *
 *   1. crash consistency: >= 20 SIGKILLs of a real server under concurrent placements,
 *      batch cancels, cancel-alls and fills on every dialect, each followed by a restart
 *      and a full check of the store against everything acknowledged;
 *   2. races over real sockets: many rounds of concurrent overlapping cancels per dialect;
 *   3. fuzzing: fast-check over every endpoint (inject) and raw bytes on a real socket.
 *
 * Prints the figures (the numbers the README section "Reliability and security" quotes) and exits 1 if anything was
 * lost or any property failed. Sizes via env: SOAK_KILLS (default 20), SOAK_RACE_ROUNDS
 * (30), SOAK_FUZZ_RUNS (2000 per endpoint), SOAK_RAW_RUNS (3000), SOAK_SEED (random).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../test/helpers.js';
import {
  HttpSender,
  ServerProcess,
  makeKeys,
  registeredDialects,
  runCrashCycles,
  runEndpointFuzz,
  runRaces,
  runRawFuzz,
  type CrashFigures,
  type FuzzFigures,
  type RaceFigures,
  type RawFuzzFigures,
} from '../test/reliability/drivers.js';

const num = (name: string, dflt: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
  return n;
};

const KILLS = Math.max(num('SOAK_KILLS', 20), 1);
const RACE_ROUNDS = num('SOAK_RACE_ROUNDS', 30);
const FUZZ_RUNS = num('SOAK_FUZZ_RUNS', 2000);
const RAW_RUNS = num('SOAK_RAW_RUNS', 3000);
const SEED = num('SOAK_SEED', Date.now() % 1_000_000_000);

const t0 = Date.now();
const say = (line: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

async function crash(): Promise<CrashFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ordergate-soak-crash-'));
  try {
    say(`crash: ${KILLS} kills, dialects ${registeredDialects().map((d) => d.name).join(', ')}, seed ${SEED}`);
    return await runCrashCycles({ kills: KILLS, dir, minLoadMs: 300, maxLoadMs: 2500, dialects: registeredDialects(), seed: SEED, log: (l) => say(`crash: ${l}`) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function races(): Promise<RaceFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ordergate-soak-race-'));
  const db = join(dir, 'ordergate.db');
  const keys = await makeKeys(db, { classic: { uid: '6001', mode: 'classic' }, unified: { uid: '6002', mode: 'unified' } });
  const server = new ServerProcess(db);
  const out: RaceFigures[] = [];
  try {
    const http = new HttpSender(await server.start(), 64);
    for (const [i, d] of registeredDialects().entries()) {
      const fig = await runRaces(http.send, keys[d.account], d, { rounds: RACE_ROUNDS, orders: 100, attempts: 80, seed: SEED + i });
      say(`races: ${d.name}: ${fig.rounds} rounds, ${fig.ordersRaced} orders, ${fig.requests} requests, ${fig.successes} successes, ${fig.perItemFailures} per-item failures, ${fig.violations.length} violations`);
      out.push(fig);
    }
    await http.close();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function fuzz(): Promise<FuzzFigures> {
  const s = await startTestServer();
  try {
    const fig = await runEndpointFuzz(s, { runsPerEndpoint: FUZZ_RUNS, seed: SEED });
    say(`fuzz: ${fig.endpoints} endpoints, ${fig.cases} cases (${fig.accepted} accepted, ${fig.rejected} rejected), ${fig.violations.length} violations`);
    return fig;
  } finally {
    await s.close();
  }
}

async function rawFuzz(): Promise<RawFuzzFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'ordergate-soak-raw-'));
  const db = join(dir, 'ordergate.db');
  const { k } = await makeKeys(db, { k: { uid: '6101', mode: 'classic' } });
  const server = new ServerProcess(db);
  try {
    const base = await server.start();
    const http = new HttpSender(base, 2);
    const d = registeredDialects()[0];
    const fig = await runRawFuzz(Number(new URL(base).port), { runs: RAW_RUNS, seed: SEED }, async () => {
      const r = await http.send(k, d.placeBatch([`alive-${Date.now()}`]));
      return server.alive && r.body.code === '00000';
    });
    await http.close();
    say(`raw fuzz: ${fig.cases} cases, ${fig.answered} answers, ${fig.violations.length} violations, process ${server.alive ? 'up' : 'DOWN'}`);
    return fig;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const c = await crash();
const r = await races();
const f = await fuzz();
const w = await rawFuzz();

const violations = [...c.violations, ...r.flatMap((x) => x.violations), ...f.violations, ...w.violations];
const sum = (k: keyof RaceFigures) => r.reduce((a, x) => a + (x[k] as number), 0);
const figures = {
  seed: SEED,
  minutes: Number(((Date.now() - t0) / 60000).toFixed(1)),
  crash: {
    kills: c.kills,
    dialects: c.dialects,
    placementsAcked: c.placementsAcked,
    cancelsAcked: c.cancelsAcked,
    cancelAllsAcked: c.scopeCancelsAcked,
    fillsAcked: c.fillsAcked,
    unackedBatchesChecked: c.unackedBatchesChecked,
    ordersInStoreVerified: c.ordersVerified,
    httpReadsVerified: c.httpSamplesVerified,
    lost: c.violations.length,
  },
  races: {
    dialects: r.map((x) => x.dialect),
    rounds: sum('rounds'),
    ordersRaced: sum('ordersRaced'),
    requests: sum('requests'),
    successes: sum('successes'),
    perItemFailures: sum('perItemFailures'),
    clientOidRaces: sum('clientOidRaces'),
    violations: r.reduce((a, x) => a + x.violations.length, 0),
  },
  fuzz: { endpoints: f.endpoints, cases: f.cases, accepted: f.accepted, rejected: f.rejected, violations: f.violations.length },
  rawFuzz: { cases: w.cases, answers: w.answered, violations: w.violations.length },
};
process.stdout.write(`\nSOAK FIGURES\n${JSON.stringify(figures, null, 2)}\n`);
if (violations.length) {
  process.stdout.write(`\n${violations.length} VIOLATIONS (first 50):\n${violations.slice(0, 50).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`\nnothing lost: ${c.kills} kills survived, ${figures.races.rounds} race rounds, ${f.cases + w.cases} fuzz cases.\n`);
process.exit(0);
