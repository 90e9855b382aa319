/**
 * Multi-instance harness: real `ordergate serve` processes on one PostgreSQL and one Redis,
 * driven over real HTTP (fetch) with Bitget signatures; plus private, throw-away PostgreSQL and
 * Redis servers (the machine's binaries, own port and data directory) for the fault tests, so
 * restarting them never disturbs other tests running against the machine's servers.
 */
import { DEFAULT_START_BALANCE } from '../../src/config.js';
import { startBalanceOpening } from '../../src/ledger/start.js';
import { loadCatalogue as loadMarkets } from '../../src/markets/catalogue.js';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKey } from '../../src/accounts/keys.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { signBitget, type TestKey } from '../helpers.js';
import { adopt, ensureCliBuilt, release, spawnChild, spawnCli, type Child } from '../support/children.js';


/** Master key shared by every instance and the test (secrets are encrypted under it). */
export const MASTER_KEY = randomBytes(32).toString('hex');

/** One running `ordergate serve` process. */
export interface Instance {
  url: string;
  proc: ChildProcess;
  /** Everything it printed (stdout + stderr), for diagnostics. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built `ordergate serve` (dist/, built first if stale) on a free port as a tracked
 * child (test/support/children.ts: killed with its process group whatever happens, even when
 * the caller never gets the handle); resolves once it listens. Rejects, after killing it, when
 * it exits or does not listen within `startTimeoutMs` (generous: a busy machine is slow).
 */
export async function startInstance(env: Record<string, string>, startTimeoutMs = 90_000): Promise<Instance> {
  await ensureCliBuilt();
  const child = spawnCli(['serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      HOST: '127.0.0.1',
      PORT: '0',
      ORDERGATE_DEMO_KEYS: 'off',
      ORDERGATE_MASTER_KEY: MASTER_KEY,
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const stop = () => child.stop(5_000);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void child.kill();
      reject(new Error(`instance did not start within ${startTimeoutMs} ms:\n${child.output()}`));
    }, startTimeoutMs);
    const onData = () => {
      const m = /ordergate listening on (http:\/\/[^\s]+)/.exec(child.stdout());
      if (!m) return;
      clearTimeout(timer);
      child.proc.stdout!.off('data', onData);
      resolve({ url: m[1], proc: child.proc, output: child.output, stop });
    };
    child.proc.stdout!.on('data', onData);
    void child.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code ?? signal} before listening:\n${child.output()}`));
    });
  });
}

/**
 * Starts `n` instances at once. When one fails to start, the others are stopped before the
 * error is thrown (a failed `before` leaves nothing running).
 */
export async function startInstances(n: number, env: Record<string, string>): Promise<Instance[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => startInstance(env)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<Instance>).value);
  await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
  throw failed.reason;
}

/** The parsed answer of one HTTP request, with its latency in ms. */
export interface Reply {
  status: number;
  code: string;
  body: { code: string; msg: string; data: any };
  ms: number;
  /** x-mbx-used-remain-limit: requests left in the current rate-limit window. */
  remain?: string;
}

/**
 * Sends a Bitget-signed request over real HTTP. Never throws for HTTP errors; a network error
 * or a request taking over `timeoutMs` comes back as status 0, code 'NETWORK' / 'TIMEOUT'.
 */
export async function send(
  base: string,
  key: TestKey,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = 15_000,
): Promise<Reply> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const ts = String(Date.now());
  const t0 = performance.now();
  try {
    const res = await fetch(base + path, {
      method,
      headers: {
        'content-type': 'application/json',
        locale: 'en-US',
        'access-key': key.apiKey,
        'access-passphrase': key.passphrase,
        'access-timestamp': ts,
        'access-sign': signBitget(key.secretKey, ts, method, path, method === 'POST' ? text : ''),
      },
      body: method === 'POST' ? text : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const parsed = (await res.json()) as Reply['body'];
    const remain = res.headers.get('x-mbx-used-remain-limit') ?? undefined;
    return { status: res.status, code: parsed.code, body: parsed, ms: performance.now() - t0, remain };
  } catch (e) {
    const timeout = (e as Error).name === 'TimeoutError';
    return { status: 0, code: timeout ? 'TIMEOUT' : 'NETWORK', body: { code: '', msg: String(e), data: null }, ms: performance.now() - t0 };
  }
}

/** Migrates the schema of `databaseUrl` and creates one classic trade key per UID. */
export async function makeKeys(databaseUrl: string, uids: string[]): Promise<TestKey[]> {
  const store = await PostgresStore.open({ url: databaseUrl });
  // the server's default start balance, so the keys' UIDs can place at once (issue 10)
  store.setOpening(startBalanceOpening(DEFAULT_START_BALANCE, loadMarkets()));
  try {
    const master = Buffer.from(MASTER_KEY, 'hex');
    const keys: TestKey[] = [];
    for (const uid of uids) {
      const k = await createKey(store.keys, master, { uid, mode: 'classic', permission: 'trade', ips: [] });
      keys.push({ uid, apiKey: k.apiKey, secretKey: k.secretKey, passphrase: k.passphrase });
    }
    return keys;
  } finally {
    await store.close();
  }
}

/**
 * One signed GET per key per instance on a path with its own rate-limit bucket
 * (orders-history), so each instance has verified each passphrase (scrypt, once per key and
 * process) before a test measures rates or latencies.
 */
export async function warm(bases: string[], keys: TestKey[]): Promise<void> {
  await Promise.all(
    bases.map(async (base) => {
      for (const key of keys) {
        const r = await send(base, key, 'GET', '/api/v2/mix/order/orders-history?productType=USDT-FUTURES');
        if (r.code !== '00000') throw new Error(`warm-up on ${base} failed: ${JSON.stringify(r.body)}`);
      }
    }),
  );
}

/**
 * Fires `total` requests at `perSecond`, evenly spaced, round-robin over `bases`, without
 * waiting for answers (a client that keeps its pace). Resolves with every reply.
 */
export async function paced(
  bases: string[],
  perSecond: number,
  total: number,
  one: (base: string, i: number) => Promise<Reply>,
): Promise<Reply[]> {
  const t0 = performance.now();
  const pending: Promise<Reply>[] = [];
  for (let i = 0; i < total; i++) {
    const at = t0 + (i * 1000) / perSecond;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(one(bases[i % bases.length], i));
  }
  return Promise.all(pending);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const p = join(root, v, 'bin', name);
    if (existsSync(p)) return p;
  }
  return name; // on PATH (non-Debian installs)
}

/** A private PostgreSQL server: own data directory and port, trust auth, user postgres. */
export interface PrivatePostgres {
  url: string;
  /** Stops the server (fast: sessions are terminated), waits `downMs`, starts it again. */
  restart(downMs: number): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * initdb + pg_ctl start of a throw-away cluster (as the `postgres` OS user when running as
 * root, since PostgreSQL refuses to run as root). Throws when it cannot be started.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'og-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) throw new Error('running as root and there is no postgres user to run a private PostgreSQL');
    chownSync(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  }
  // Asynchronous on purpose: the test's own requests must keep flowing while PostgreSQL restarts.
  const run = async (bin: string, args: string[]) => {
    const cmd = asRoot ? 'runuser' : pgBin(bin);
    const full = asRoot ? ['-u', 'postgres', '--', pgBin(bin), ...args] : args;
    const child = spawnChild(cmd, full);
    const { code, signal } = await child.exited;
    if (code !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${code ?? signal}): ${child.output()}`);
  };
  const port = await freePort();
  const data = join(dir, 'data');
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=60`;
  const log = join(dir, 'server.log');
  // pg_ctl starts the postmaster in a session of its own: track its group (pid in
  // postmaster.pid) so it dies with the test file even when destroy() is never reached
  let postmaster = 0;
  const start = async () => {
    await run('pg_ctl', ['-D', data, '-o', opts, '-l', log, '-w', '-t', '60', 'start']);
    postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (postmaster > 1) adopt(postmaster);
  };
  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    await start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(downMs: number) {
      await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      release(postmaster);
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async destroy() {
      await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      release(postmaster);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A private redis-server child process on its own port (nothing persisted). */
export interface PrivateRedis {
  url: string;
  port: number;
  /** Kills the server and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** Starts a private redis-server; throws when it cannot be started. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: Child | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const child = spawnChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
      proc = child;
      const timer = setTimeout(() => (void child.kill(), reject(new Error(`redis-server did not start within 30 s:\n${child.output()}`))), 30_000);
      void child.exited.then(({ code }) => (clearTimeout(timer), reject(new Error(`redis-server exited (${code}):\n${child.output()}`))));
      const onData = () => {
        if (/Ready to accept connections/.test(child.stdout())) {
          clearTimeout(timer);
          child.proc.stdout!.off('data', onData);
          resolve();
        }
      };
      child.proc.stdout!.on('data', onData);
    });
  const stop = async () => {
    await proc?.kill();
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}

/** Polls `check` every `everyMs` until it returns true or `withinMs` passes; returns the ms taken or -1. */
export async function waitFor(check: () => Promise<boolean>, withinMs: number, everyMs = 100): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > withinMs) return -1;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
