#!/usr/bin/env node
/**
 * The `ordergate` command line: `serve`, `keys create|list|revoke`, `fill`.
 * Run from the project root as `npm run --silent ordergate -- <args>`.
 * Configuration comes from the environment (see config.ts / README), flags override it.
 */
import { Command, Option } from 'commander';
import { randomInt } from 'node:crypto';
import { createApp, ensureDemoKeys } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { BitgetError } from '../domain/errors.js';
import { Engine } from '../engine/engine.js';
import { resolveMasterKey } from '../accounts/crypto.js';
import { createKey } from '../accounts/keys.js';
import { loadCatalogue } from '../markets/catalogue.js';
import { openStore } from '../store/open.js';
import { registerCancel } from './cancel.js';

function withStoreFlags(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'SQLite file or :memory: (env ORDERGATE_DB)')
    .option('--database-url <url>', 'PostgreSQL URL (env DATABASE_URL)');
}

function configFrom(opts: { db?: string; databaseUrl?: string; port?: string; host?: string }): Config {
  const c = loadConfig();
  if (opts.db) c.dbPath = opts.db;
  if (opts.databaseUrl) c.databaseUrl = opts.databaseUrl;
  if (opts.port) c.port = Number(opts.port);
  if (opts.host) c.host = opts.host;
  return c;
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
    const og = await createApp(config);
    if (config.demoKeys) {
      const demo = await ensureDemoKeys(og.store, og.master);
      await og.keyring.refresh();
      if (demo.length > 0) {
        process.stdout.write('Created demo API keys (shown once; secrets are stored encrypted):\n');
        process.stdout.write(table(demo.map((d) => ({ ...d }))) + '\n');
      }
    }
    const address = await og.app.listen({ port: config.port, host: config.host });
    process.stdout.write(`ordergate listening on ${address} (store: ${og.store.kind}${og.store.kind === 'sqlite' ? ' ' + config.dbPath : ''})\n`);
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

withStoreFlags(keys.command('create').description('create API keys (prints the secret and passphrase once)'))
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
    const store = await openStore(config);
    const master = resolveMasterKey(config.masterKey, config.dbPath);
    const ips = opts.ip ? String(opts.ip).split(',').map((s: string) => s.trim()).filter(Boolean) : [];
    const made = [];
    const base = 2_000_000_000 + randomInt(0, 1_000_000_000);
    const uids = opts.count ? Array.from({ length: count }, (_, i) => String(base + i * 7)) : [opts.uid as string];
    for (let i = 0; i < uids.length; i += 8) {
      const chunk = uids.slice(i, i + 8);
      made.push(
        ...(await Promise.all(
          chunk.map((uid) => createKey(store.keys, master, { uid, mode: opts.mode, permission: opts.permission, ips, label: opts.label })),
        )),
      );
    }
    await store.close();
    if (opts.json) process.stdout.write(JSON.stringify(opts.count ? made : made[0], null, 2) + '\n');
    else process.stdout.write(table(made.map((m) => ({ uid: m.uid, mode: m.mode, permission: m.permission, apiKey: m.apiKey, secretKey: m.secretKey, passphrase: m.passphrase }))) + '\n');
  });

withStoreFlags(keys.command('list').description('list API keys (no secrets)'))
  .option('--json', 'print JSON')
  .action(async (opts) => {
    const store = await openStore(configFrom(opts));
    const accounts = new Map((await store.keys.listAccounts()).map((a) => [a.uid, a.mode]));
    const rows = (await store.keys.listKeys()).map((k) => ({
      apiKey: k.apiKey,
      uid: k.uid,
      mode: accounts.get(k.uid) ?? '',
      permission: k.permission,
      ips: k.ips.join(','),
      label: k.label,
      status: k.revokedAt === null ? 'active' : 'revoked',
      created: new Date(k.createdAt).toISOString(),
    }));
    await store.close();
    process.stdout.write((opts.json ? JSON.stringify(rows, null, 2) : table(rows)) + '\n');
  });

withStoreFlags(keys.command('revoke').description('revoke an API key').argument('<apiKey>'))
  .action(async (apiKey: string, opts) => {
    const store = await openStore(configFrom(opts));
    const done = await store.keys.revokeKey(apiKey, Date.now());
    await store.close();
    if (!done) throw new Error(`no active key ${apiKey}`);
    process.stdout.write(`revoked ${apiKey}\n`);
  });

withStoreFlags(program.command('fill').description('fill an open order (deterministic test control)'))
  .requiredOption('--order-id <id>', 'order to fill')
  .option('--size <q>', 'quantity to fill (default: all that is left)')
  .option('--json', 'print JSON')
  .action(async (opts) => {
    const config = configFrom(opts);
    const store = await openStore(config);
    const engine = new Engine(store, loadCatalogue(config.marketsFile));
    try {
      const o = await engine.fill(opts.orderId, opts.size);
      const row = { orderId: o.orderId, symbol: o.symbol, category: o.category, status: o.status, size: o.size, filledSize: o.filledSize };
      process.stdout.write((opts.json ? JSON.stringify(row) : table([row])) + '\n');
    } finally {
      await store.close();
    }
  });

registerCancel(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  const msg = e instanceof BitgetError ? `${e.code} ${e.message}` : e instanceof Error ? e.message : String(e);
  process.stderr.write(`ordergate: ${msg}\n`);
  process.exit(1);
});
