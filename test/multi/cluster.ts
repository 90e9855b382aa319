/**
 * Multi-instance harness: real `ordergate serve` processes on one PostgreSQL and one Redis,
 * driven over real HTTP (fetch) with Bitget signatures; plus private, throw-away PostgreSQL and
 * Redis servers (the machine's binaries, own port and data directory) for the fault tests, so
 * restarting them never disturbs other tests running against the machine's servers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createKey } from '../../src/accounts/keys.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { signBitget, type TestKey } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

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

/** Starts `node --import tsx src/cli/main.ts serve` on a free port; resolves once it listens. */
export function startInstance(env: Record<string, string>, startTimeoutMs = 30_000): Promise<Instance> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: ROOT,
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
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`instance did not start within ${startTimeoutMs} ms:\n${out}`));
    }, startTimeoutMs);
    const onData = () => {
      const m = /ordergate listening on (http:\/\/[^\s]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      proc.stdout!.off('data', onData);
      resolve({ url: m[1], proc, output: () => out, stop });
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code} before listening:\n${out}`));
    });
  });
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
  const run = (bin: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const cmd = asRoot ? 'runuser' : pgBin(bin);
      const full = asRoot ? ['-u', 'postgres', '--', pgBin(bin), ...args] : args;
      const child = spawn(cmd, full, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} ${args.join(' ')} failed (${code}): ${out}`))));
    });
  const port = await freePort();
  const data = join(dir, 'data');
  const opts = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=60`;
  const log = join(dir, 'server.log');
  await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  await run('pg_ctl', ['-D', data, '-o', opts, '-l', log, '-w', '-t', '30', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(downMs: number) {
      await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      await new Promise((r) => setTimeout(r, downMs));
      await run('pg_ctl', ['-D', data, '-o', opts, '-l', log, '-w', '-t', '30', 'start']);
    },
    async destroy() {
      await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
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
  let proc: ChildProcess | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      proc.once('error', (e) => (clearTimeout(timer), reject(e)));
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  const stop = async () => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGKILL');
    await exited;
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
