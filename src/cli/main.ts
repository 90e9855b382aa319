#!/usr/bin/env node
/**
 * The `ordergate` command line: `serve`, `keys create|list|revoke`, `fill`, `cancel`.
 * Run from the project root as `npm run --silent ordergate -- <args>`.
 * Configuration comes from the environment (see config.ts / README), flags override it.
 * `keys` and `fill` open the store and say which on stderr (`store: sqlite /abs/path`), or,
 * with `--server URL`, talk to that running server's admin API (ORDERGATE_ADMIN_TOKEN).
 */
import { IdGenerator } from '../engine/ids.js';
import { Command, Option } from 'commander';
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { createKeys, listKeyRows, revokeKey, type CreatedKey, type KeyRow } from '../accounts/manage.js';
import { createApp, provisionDemoKeys } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { BitgetError, Errors } from '../domain/errors.js';
import { Engine } from '../engine/engine.js';
import { resolveMasterKey } from '../accounts/crypto.js';
import { createKey } from '../accounts/keys.js';
import { loadCatalogue } from '../markets/catalogue.js';
import { openStore } from '../store/open.js';
import { renderSwitch, type SwitchState } from '../switches/service.js';
import { startBalanceOpening } from '../ledger/start.js';
import { registerCancel } from './cancel.js';

interface StoreFlags {
  db?: string;
  databaseUrl?: string;
  port?: string;
  host?: string;
  server?: string;
}

function withStoreFlags(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'SQLite file or :memory: (env ORDERGATE_DB)')
    .option('--database-url <url>', 'PostgreSQL URL (env DATABASE_URL)');
}

/** `--server`: talk to a running server's admin API instead of opening the store. */
function withServerFlag(cmd: Command): Command {
  return cmd.option('--server <url>', "a running ordergate's base URL (e.g. http://127.0.0.1:8080): use its admin API (token from env ORDERGATE_ADMIN_TOKEN) instead of opening the store");
}

function configFrom(opts: StoreFlags): Config {
  const c = loadConfig();
  if (opts.db) c.dbPath = opts.db;
  if (opts.databaseUrl) c.databaseUrl = opts.databaseUrl;
  if (opts.port) c.port = Number(opts.port);
  if (opts.host) c.host = opts.host;
  return c;
}

/**
 * Which store a command uses, for humans: `sqlite /abs/path.db`, `sqlite :memory:` or
 * `postgres host:port/db` (with `schema s` when the URL names one; never the password).
 */
function describeStore(c: Pick<Config, 'dbPath' | 'databaseUrl'>): string {
  if (c.databaseUrl) {
    try {
      const u = new URL(c.databaseUrl);
      const schema = u.searchParams.get('schema');
      return `postgres ${u.hostname}${u.port ? ':' + u.port : ''}${u.pathname}${schema ? ` schema ${schema}` : ''}`;
    } catch {
      return 'postgres (unparsable DATABASE_URL)';
    }
  }
  return `sqlite ${c.dbPath === ':memory:' || c.dbPath === '' ? ':memory:' : resolve(c.dbPath)}`;
}

/** Opens the configured store and says which one on stderr (a CLI on another store than the server's finds nothing). */
async function openStoreSaying(config: Config) {
  process.stderr.write(`store: ${describeStore(config)}\n`);
  const opening = startBalanceOpening(config.startBalance, loadCatalogue(config.marketsFile));
  const store = await openStore(config);
  store.setOpening(opening);
  return store;
}

/**
 * One call to a running server's admin API; returns the envelope's `data`.
 * @throws BitgetError with the server's code; Error when unreachable, without a token or
 *   when the server serves no admin API.
 */
async function adminCall<T>(server: string, config: Config, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  if (!config.adminToken) throw new Error('--server needs the server\'s admin token in ORDERGATE_ADMIN_TOKEN');
  const base = server.replace(/\/+$/, '');
  process.stderr.write(`server: ${base}\n`);
  let res: Response;
  try {
    res = await fetch(base + path, {
      method,
      headers: { 'x-admin-token': config.adminToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot reach ordergate at ${base}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
  const text = await res.text();
  let env: { code?: string; msg?: string; data?: T };
  try {
    env = JSON.parse(text);
  } catch {
    throw new Error(`${base}${path} answered HTTP ${res.status} without a Bitget envelope`);
  }
  if (res.status === 404 && env.code === Errors.URL_NOT_FOUND.code) throw new Error(`${base} serves no admin API (start it with ORDERGATE_ADMIN_TOKEN set)`);
  if (env.code !== '00000') throw new BitgetError(String(env.code), String(env.msg), res.status);
  return env.data as T;
}

function table(rows: Array<Record<string, string>>): string {
  if (rows.length === 0) return '(none)';
  const cols = Object.keys(rows[0]);
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(w[i])).join('  ');
  return [line(cols), line(w.map((n) => '-'.repeat(n))), ...rows.map((r) => line(cols.map((c) => r[c] ?? '')))].join('\n');
}

const program = new Command('ordergate').description('A Bitget-compatible trading API server, cancellation first');

withStoreFlags(program.command('serve').description('start the HTTP server'))
  .option('--port <n>', 'port (env PORT, default 8080)')
  .option('--host <h>', 'host (env HOST, default 127.0.0.1)')
  .action(async (opts) => {
    const config = configFrom(opts);
    // imported here: the server (Fastify and every route) is not loaded for keys/fill/cancel
    const { createApp, ensureDemoKeys } = await import('../app.js');
    const og = await createApp(config);
    let address: string;
    try {
      // bind first: a server that cannot start creates (and prints) no demo keys
      address = await og.app.listen({ port: config.port, host: config.host });
    } catch (e) {
      await og.close();
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new Error(`cannot listen on ${config.host}:${config.port}: the port is in use (another ordergate?); nothing was created`);
      if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new Error(`cannot listen on ${config.host}:${config.port}: ${code}; nothing was created`);
      throw e;
    }
    let demo;
    try {
      demo = await provisionDemoKeys(og, config);
    } catch (e) {
      await og.close();
      throw e;
    }
    if (demo.created.length > 0) {
      process.stdout.write(
        demo.source === 'file'
          ? `Created pinned demo API keys from ${(config.demoKeys as { file: string }).file}:\n`
          : 'Created demo API keys (shown once; secrets are stored encrypted):\n',
      );
      process.stdout.write(table(demo.created.map((d) => ({ ...d }))) + '\n');
    }
    process.stdout.write(`ordergate listening on ${address} (store: ${describeStore(config)})\n`);
    let closing = false;
    const stop = async () => {
      if (closing) return;
      closing = true;
      await og.close();
      process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });

const keys = program.command('keys').description('manage accounts and API keys');

withServerFlag(withStoreFlags(keys.command('create').description('create API keys (prints the secret and passphrase once)')))
  .option('--uid <uid>', 'account UID (digits); required unless --count')
  .addOption(new Option('--mode <mode>', 'account mode').choices(['classic', 'unified']).default('classic'))
  .addOption(new Option('--permission <p>', 'key permission').choices(['read', 'trade']).default('trade'))
  .option('--ip <list>', 'comma-separated IP whitelist (default: any IP)')
  .option('--count <n>', 'create N keys on N fresh UIDs (for load tests)')
  .option('--label <text>', 'free label', '')
  .option('--json', 'print JSON')
  .action(async (opts) => {
    const config = configFrom(opts);
    const count = opts.count ? Number(opts.count) : 1;
    if (!Number.isInteger(count) || count < 1 || count > 100000) throw new Error('--count must be 1..100000');
    if (!opts.count && !opts.uid) throw new Error('--uid is required (or --count N for fresh UIDs)');
    if (opts.uid && !/^\d{1,20}$/.test(opts.uid)) throw new Error('--uid must be digits');
    const ips = opts.ip ? String(opts.ip).split(',').map((s: string) => s.trim()).filter(Boolean) : [];
    const req = { uid: opts.count ? undefined : (opts.uid as string), count: opts.count ? count : undefined, mode: opts.mode, permission: opts.permission, ips, label: opts.label };
    let made: CreatedKey[];
    if (opts.server) {
      made = await adminCall<CreatedKey[]>(opts.server, config, 'POST', '/admin/keys', req);
    } else {
      const store = await openStoreSaying(config);
      try {
        made = await createKeys({ keys: store.keys, master: resolveMasterKey(config.masterKey, config.dbPath) }, req);
      } finally {
        await store.close();
      }
    }
    if (opts.json) process.stdout.write(JSON.stringify(opts.count ? made : made[0], null, 2) + '\n');
    else process.stdout.write(table(made.map((m) => ({ uid: m.uid, mode: m.mode, permission: m.permission, apiKey: m.apiKey, secretKey: m.secretKey, passphrase: m.passphrase }))) + '\n');
  });

withServerFlag(withStoreFlags(keys.command('list').description('list API keys (no secrets)')))
  .option('--json', 'print JSON')
  .action(async (opts) => {
    const config = configFrom(opts);
    let rows: KeyRow[];
    if (opts.server) rows = await adminCall<KeyRow[]>(opts.server, config, 'GET', '/admin/keys');
    else {
      const store = await openStoreSaying(config);
      try {
        rows = await listKeyRows(store.keys);
      } finally {
        await store.close();
      }
    }
    process.stdout.write((opts.json ? JSON.stringify(rows, null, 2) : table(rows as unknown as Array<Record<string, string>>)) + '\n');
  });

withServerFlag(withStoreFlags(keys.command('revoke').description('revoke an API key').argument('<apiKey>')))
  .action(async (apiKey: string, opts) => {
    const config = configFrom(opts);
    try {
      if (opts.server) await adminCall(opts.server, config, 'POST', '/admin/keys/revoke', { apiKey });
      else {
        const store = await openStoreSaying(config);
        try {
          await revokeKey({ keys: store.keys }, apiKey);
        } finally {
          await store.close();
        }
      }
    } catch (e) {
      if (e instanceof BitgetError && e.code === Errors.APIKEY_NOT_EXIST.code) throw new Error(`no active key ${apiKey}`);
      throw e;
    }
    process.stdout.write(`revoked ${apiKey}\n`);
  });

withServerFlag(withStoreFlags(program.command('fill').description('fill an open order (deterministic test control)')))
  .requiredOption('--order-id <id>', 'order to fill')
  .option('--size <q>', 'quantity to fill (default: all that is left)')
  .option('--json', 'print JSON')
  .action(async (opts) => {
    const config = configFrom(opts);
    let row: Record<string, string>;
    if (opts.server) {
      const o = await adminCall<Record<string, string>>(opts.server, config, 'POST', '/admin/fill', { orderId: opts.orderId, ...(opts.size !== undefined ? { size: opts.size } : {}) });
      row = { orderId: o.orderId, symbol: o.symbol, category: o.category, status: o.status, size: o.size, filledSize: o.filledSize };
    } else {
      const store = await openStoreSaying(config);
      try {
        const o = await new Engine(store, loadCatalogue(config.marketsFile)).fill(opts.orderId, opts.size);
        row = { orderId: o.orderId, symbol: o.symbol, category: o.category, status: o.status, size: o.size, filledSize: o.filledSize };
      } finally {
        await store.close();
      }
    }
    process.stdout.write((opts.json ? JSON.stringify(row) : table([row])) + '\n');
  });

withServerFlag(withStoreFlags(program.command('switches').description("kill switches: countdowns, cancel-on-disconnect, panic blocks (armed, deadline, last fire)")))
  .option('--uid <uid>', 'only this UID (default: every UID)')
  .option('--json', 'print JSON')
  .action(async (opts) => {
    const config = configFrom(opts);
    let rows: SwitchState[];
    if (opts.server) rows = await adminCall<SwitchState[]>(opts.server, config, 'GET', `/admin/switches${opts.uid ? `?uid=${encodeURIComponent(opts.uid)}` : ''}`);
    else {
      const store = await openStoreSaying(config);
      try {
        rows = (await store.switches.list(opts.uid)).map((r) => renderSwitch(r));
      } finally {
        await store.close();
      }
    }
    if (opts.json) {
      process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return;
    }
    const now = Date.now();
    const when = (ms: string | null) => (ms === null ? '-' : `${new Date(Number(ms)).toISOString()} (${((Number(ms) - now) / 1000).toFixed(1)} s)`);
    const table1 = rows.map((r) => ({
      uid: r.uid,
      kind: r.kind,
      scope: r.scopeKey,
      armed: String(r.armed),
      deadline: when(r.deadline),
      window: `${r.window} s`,
      blocked: r.kind === 'panic' ? String(r.blocked) : '-',
      lastFire: r.lastFire ? `${new Date(Number(r.lastFire.at)).toISOString()} cancelled ${r.lastFire.cancelled} (${r.lastFire.cancelReason})` : '-',
    }));
    process.stdout.write(table(table1) + '\n');
  });

withServerFlag(withStoreFlags(program.command('deposit').description("credit a coin to one of a UID's accounts (test funding)")))
  .requiredOption('--uid <uid>', 'the UID')
  .requiredOption('--coin <coin>', 'coin, e.g. USDT')
  .requiredOption('--amount <amount>', 'positive decimal, at most 8 decimals')
  .option('--account <account>', 'spot|usdt-futures|coin-futures|usdc-futures|crossed|isolated:SYMBOL|unified (default spot, unified for a unified UID)')
  .option('--json', 'print JSON')
  .action(async (opts) => {
    const config = configFrom(opts);
    let row: Record<string, string>;
    const body = { uid: opts.uid, coin: opts.coin, amount: opts.amount, ...(opts.account !== undefined ? { account: opts.account } : {}) };
    if (opts.server) {
      row = await adminCall<Record<string, string>>(opts.server, config, 'POST', '/admin/deposit', body);
    } else {
      const store = await openStoreSaying(config);
      try {
        const b = await new Engine(store, loadCatalogue(config.marketsFile)).deposit(opts.uid, opts.coin, opts.amount, opts.account);
        row = { uid: opts.uid, account: b.account, coin: b.coin, available: b.available, frozen: b.frozen };
      } finally {
        await store.close();
      }
    }
    process.stdout.write((opts.json ? JSON.stringify(row) : table([row])) + '\n');
  });

withServerFlag(withStoreFlags(program.command('reset').description("put a UID's money back to its start: cancel its open orders, close its positions, balances = start balance")))
  .requiredOption('--uid <uid>', 'the UID')
  .action(async (opts) => {
    const config = configFrom(opts);
    let cancelled: number;
    if (opts.server) {
      cancelled = (await adminCall<{ cancelled: number }>(opts.server, config, 'POST', '/admin/reset', { uid: opts.uid })).cancelled;
    } else {
      const store = await openStoreSaying(config);
      try {
        const catalogue = loadCatalogue(config.marketsFile);
        const engine = new Engine(store, catalogue, new IdGenerator(await store.instanceId()));
        engine.opening = startBalanceOpening(config.startBalance, catalogue);
        cancelled = await engine.reset(opts.uid);
      } finally {
        await store.close();
      }
    }
    process.stdout.write(`reset ${opts.uid}: ${cancelled} open orders cancelled, balances back to the start balance\n`);
  });

registerCancel(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  const msg = e instanceof BitgetError ? `${e.code} ${e.message}` : e instanceof Error ? e.message : String(e);
  process.stderr.write(`ordergate: ${msg}\n`);
  process.exit(1);
});
