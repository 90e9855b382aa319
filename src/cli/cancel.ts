/**
 * `ordergate cancel`: mass cancellation against Bitget or an ordergate server, through the
 * typed client (src/client).
 *
 *   ordergate cancel [--base-url URL] [--category C] [--symbol S] [--ids-file F|-] [--all]
 *                    [--dry-run] [--json]
 *
 * Credentials: --api-key / --secret-key / --passphrase, or BITGET_API_KEY /
 * BITGET_SECRET_KEY / BITGET_PASSPHRASE. Base URL: --base-url or BITGET_BASE_URL (default
 * http://127.0.0.1:8080). Demo trading: --demo or BITGET_DEMO=1 (header paptrading: 1).
 *
 * Exit codes: 0 every order cancelled (or planned, with --dry-run); 1 something failed (an
 * order, a whole category, or orders left open); 2 the command could not run (usage,
 * credentials, unreadable ids file, server unreachable).
 */
import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { BitgetClient } from '../client/client.js';
import { BitgetApiError, BitgetNetworkError, ClientUsageError } from '../client/errors.js';
import { ALL_CATEGORIES, type CancelProgress, type CancelRef, type CancelReport, type Category, type MarginMode } from '../client/types.js';

/** Parsed options of the command. */
export interface CancelCliOptions {
  baseUrl?: string;
  apiKey?: string;
  secretKey?: string;
  passphrase?: string;
  demo?: boolean;
  accountMode?: 'classic' | 'unified' | 'auto';
  category?: string[];
  marginMode?: MarginMode;
  symbol?: string[];
  idsFile?: string;
  all?: boolean;
  dryRun?: boolean;
  json?: boolean;
  retries?: string;
}

/** Where the command reads and writes (process streams by default; tests substitute). */
export interface CancelIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  /** Reads all of standard input (for `--ids-file -`). */
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
}

/** Thrown for usage problems: exit code 2 with the message. */
class UsageError extends Error {}

const CATEGORY_NAMES: Record<string, Category> = Object.fromEntries(ALL_CATEGORIES.map((c) => [c.toLowerCase(), c]));

function parseCategory(v: string, where: string): Category {
  const key = v.trim().toLowerCase();
  const c = Object.hasOwn(CATEGORY_NAMES, key) ? CATEGORY_NAMES[key] : undefined;
  if (!c) throw new UsageError(`${where}: unknown category '${v}' (use ${ALL_CATEGORIES.join(', ')})`);
  return c;
}

/** Splits repeatable, comma-separated values. */
const list = (vals: string[] | undefined): string[] => (vals ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

/** One order of an ids file, with its category. */
interface FileRef extends CancelRef {
  category: Category;
}

const REF_KEYS = new Set(['category', 'symbol', 'orderId', 'clientOid', 'marginMode', 'marginCoin']);

/**
 * Parses an ids file. Accepted forms (mixable line by line):
 * - a JSON array of objects, or one JSON object per line:
 *   `{"category":"SPOT","symbol":"BTCUSDT","orderId":"1"}`;
 * - text lines of `key=value` tokens (category, symbol, orderId, clientOid, marginMode,
 *   marginCoin) and bare tokens (an orderId), separated by spaces, tabs or commas:
 *   `category=SPOT symbol=BTCUSDT 1234567890123456789`.
 * Blank lines and lines starting with `#` are ignored. A missing category / symbol falls back
 * to the single --category / --symbol given.
 */
export function parseIdsFile(text: string, defaults: { category?: Category; symbol?: string; marginMode?: MarginMode }): FileRef[] {
  const out: FileRef[] = [];
  const add = (o: Record<string, unknown>, where: string) => {
    for (const k of Object.keys(o)) if (!REF_KEYS.has(k)) throw new UsageError(`${where}: unknown field '${k}'`);
    const s = (k: string) => (o[k] === undefined || o[k] === null || o[k] === '' ? undefined : String(o[k]));
    const category = s('category') ? parseCategory(s('category') as string, where) : defaults.category;
    if (!category) throw new UsageError(`${where}: no category (add category=… or give one --category)`);
    const symbol = (s('symbol') ?? defaults.symbol)?.toUpperCase();
    if (!symbol) throw new UsageError(`${where}: no symbol (add symbol=… or give one --symbol)`);
    const orderId = s('orderId');
    const clientOid = s('clientOid');
    if (!orderId && !clientOid) throw new UsageError(`${where}: no orderId or clientOid`);
    const mm = s('marginMode') ?? defaults.marginMode;
    if (mm !== undefined && mm !== 'crossed' && mm !== 'isolated') throw new UsageError(`${where}: marginMode must be crossed or isolated`);
    out.push({
      category,
      symbol,
      ...(orderId ? { orderId } : {}),
      ...(clientOid ? { clientOid } : {}),
      ...(mm ? { marginMode: mm as MarginMode } : {}),
      ...(s('marginCoin') ? { marginCoin: s('marginCoin') } : {}),
    });
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(trimmed);
    } catch (e) {
      throw new UsageError(`ids file: invalid JSON array (${(e as Error).message})`);
    }
    if (!Array.isArray(arr)) throw new UsageError('ids file: expected a JSON array');
    arr.forEach((o, i) => {
      if (!o || typeof o !== 'object') throw new UsageError(`ids file item ${i + 1}: expected an object`);
      add(o as Record<string, unknown>, `ids file item ${i + 1}`);
    });
    return out;
  }
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const where = `ids file line ${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('{')) {
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch (e) {
        throw new UsageError(`${where}: invalid JSON (${(e as Error).message})`);
      }
      add(o as Record<string, unknown>, where);
      return;
    }
    const o: Record<string, string> = {};
    for (const tok of line.split(/[\s,]+/).filter(Boolean)) {
      const eq = tok.indexOf('=');
      if (eq < 0) {
        if (o.orderId) throw new UsageError(`${where}: two bare ids ('${o.orderId}', '${tok}')`);
        o.orderId = tok;
      } else o[tok.slice(0, eq)] = tok.slice(eq + 1);
    }
    add(o, where);
  });
  return out;
}

/** Merges per-category reports of one run into one report. */
function merge(reports: CancelReport[], stats: CancelReport['stats'], durationMs: number): CancelReport {
  const r: CancelReport = { items: [], successList: [], failureList: [], summary: [], stats, errors: [], durationMs };
  for (const x of reports) {
    r.items.push(...x.items);
    r.successList.push(...x.successList);
    r.failureList.push(...x.failureList);
    r.summary.push(...x.summary);
    r.errors.push(...x.errors);
    if (x.dryRun) r.dryRun = true;
    if (x.plannedRequests !== undefined) r.plannedRequests = (r.plannedRequests ?? 0) + x.plannedRequests;
  }
  return r;
}

function table(rows: Array<Record<string, string>>): string {
  if (rows.length === 0) return '(none)';
  const cols = Object.keys(rows[0]);
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(w[i])).join('  ').trimEnd();
  return [line(cols), line(w.map((n) => '-'.repeat(n))), ...rows.map((r) => line(cols.map((c) => r[c] ?? '')))].join('\n');
}

/** The human-readable summary printed without --json. */
export function renderReport(rep: CancelReport): string {
  const out: string[] = [];
  const rows = rep.summary.map((s) => ({
    category: s.category + (s.marginMode ? ` (${s.marginMode})` : ''),
    ...(rep.dryRun ? { 'would cancel': String(s.requested) } : { requested: String(s.requested), cancelled: String(s.cancelled), failed: String(s.failed) }),
  }));
  const tot = rep.summary.reduce((a, s) => ({ r: a.r + s.requested, c: a.c + s.cancelled, f: a.f + s.failed }), { r: 0, c: 0, f: 0 });
  if (rows.length > 1) rows.push({ category: 'TOTAL', ...(rep.dryRun ? { 'would cancel': String(tot.r) } : { requested: String(tot.r), cancelled: String(tot.c), failed: String(tot.f) }) });
  out.push(rows.length ? table(rows) : rep.dryRun ? 'Nothing to cancel.' : 'No open orders found.');
  const st = rep.stats;
  out.push(
    `${rep.dryRun ? `dry run: nothing cancelled${rep.plannedRequests !== undefined ? `, ${rep.plannedRequests} batch request(s) planned` : ''}; ` : ''}` +
      `requests ${st.requests}, retries ${st.retries}, HTTP 429 ${st.http429}, network errors ${st.networkErrors}, ${(rep.durationMs / 1000).toFixed(1)} s` +
      (rep.remaining !== undefined ? `, still open afterwards ${rep.remaining}` : ''),
  );
  const failed = rep.items.filter((i) => !i.ok);
  if (failed.length) {
    out.push(`\nFailed (${failed.length}${failed.length > 20 ? ', first 20; --json lists all' : ''}):`);
    out.push(
      table(
        failed.slice(0, 20).map((i) => ({ category: i.category, symbol: i.symbol, orderId: i.orderId, clientOid: i.clientOid, code: i.code ?? '', msg: i.msg ?? '' })),
      ),
    );
  }
  if (rep.errors.length) {
    out.push(`\nErrors:`);
    out.push(table(rep.errors.map((e) => ({ category: e.category + (e.marginMode ? ` (${e.marginMode})` : ''), symbol: e.symbol ?? '', code: e.code, msg: e.msg }))));
  }
  return out.join('\n') + '\n';
}

/** True when the run left something undone (exit code 1). */
export function reportFailed(rep: CancelReport): boolean {
  return rep.items.some((i) => !i.ok) || rep.errors.length > 0 || (rep.remaining ?? 0) > 0;
}

/**
 * Runs the command.
 * @returns the exit code (0 done, 1 something failed, 2 could not run).
 */
export async function runCancel(opts: CancelCliOptions, io: CancelIO): Promise<number> {
  let bar: cliProgress.SingleBar | undefined;
  try {
    const env = io.env;
    const apiKey = opts.apiKey ?? env.BITGET_API_KEY;
    const secretKey = opts.secretKey ?? env.BITGET_SECRET_KEY;
    const passphrase = opts.passphrase ?? env.BITGET_PASSPHRASE;
    const missing = [!apiKey && '--api-key/BITGET_API_KEY', !secretKey && '--secret-key/BITGET_SECRET_KEY', !passphrase && '--passphrase/BITGET_PASSPHRASE'].filter(Boolean);
    if (missing.length) throw new UsageError(`missing credentials: ${missing.join(', ')}`);
    if (!!opts.all === !!opts.idsFile) throw new UsageError('give exactly one of --all or --ids-file F|-');
    const categories = [...new Set(list(opts.category).map((c) => parseCategory(c, '--category')))];
    const symbols = [...new Set(list(opts.symbol).map((s) => s.toUpperCase()))];
    const retries = opts.retries !== undefined ? Number(opts.retries) : undefined;
    if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0 && retries <= 20)) throw new UsageError('--retries must be 0..20');

    let refs: FileRef[] = [];
    if (opts.idsFile) {
      let text: string;
      try {
        text = opts.idsFile === '-' ? await io.readStdin() : readFileSync(opts.idsFile, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read ids file ${opts.idsFile}: ${(e as Error).message}`);
      }
      refs = parseIdsFile(text, {
        category: categories.length === 1 ? categories[0] : undefined,
        symbol: symbols.length === 1 ? symbols[0] : undefined,
        marginMode: opts.marginMode,
      });
      if (categories.length) refs = refs.filter((r) => categories.includes(r.category));
      if (symbols.length) refs = refs.filter((r) => symbols.includes(r.symbol));
    }

    const client = new BitgetClient({
      baseUrl: opts.baseUrl ?? env.BITGET_BASE_URL ?? 'http://127.0.0.1:8080',
      apiKey: apiKey as string,
      secretKey: secretKey as string,
      passphrase: passphrase as string,
      demo: opts.demo || env.BITGET_DEMO === '1' || env.BITGET_DEMO === 'true',
      accountMode: opts.accountMode ?? 'auto',
      ...(retries !== undefined ? { retry: { maxRetries: retries } } : {}),
    });

    const showBar = io.stderr.isTTY === true;
    const onProgress = (p: CancelProgress) => {
      if (!showBar) return;
      if (!bar) {
        if (p.total < 100) return;
        bar = new cliProgress.SingleBar(
          { stream: io.stderr as NodeJS.WritableStream, format: 'cancelling [{bar}] {value}/{total} orders | failed {failed} | {duration}s', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, 0, { failed: 0 });
      }
      bar.setTotal(p.total);
      bar.update(p.done, { failed: p.failed });
    };

    const t0 = Date.now();
    const before = client.transport.snapshot();
    let report: CancelReport;
    if (opts.all) {
      report = await client.cancelAll({
        ...(categories.length ? { categories } : {}),
        ...(symbols.length ? { symbols } : {}),
        ...(opts.marginMode ? { marginModes: [opts.marginMode] } : {}),
        dryRun: opts.dryRun,
        onProgress,
      });
    } else {
      const byCategory = new Map<Category, CancelRef[]>();
      for (const { category, ...ref } of refs) byCategory.set(category, [...(byCategory.get(category) ?? []), ref]);
      const total = refs.length;
      const done = new Map<Category, CancelProgress>();
      const reports = await Promise.all(
        [...byCategory].map(([category, rs]) =>
          client.cancelOrders(category, rs, {
            dryRun: opts.dryRun,
            onProgress: (p) => {
              done.set(category, p);
              const sum = [...done.values()].reduce((a, x) => ({ done: a.done + x.done, total, failed: a.failed + x.failed }), { done: 0, total, failed: 0 });
              onProgress(sum);
            },
          }),
        ),
      );
      const after = client.transport.snapshot();
      report = merge(
        reports,
        { requests: after.requests - before.requests, retries: after.retries - before.retries, http429: after.http429 - before.http429, networkErrors: after.networkErrors - before.networkErrors },
        Date.now() - t0,
      );
      if (opts.dryRun) report.dryRun = true;
    }
    bar?.stop();
    bar = undefined;
    io.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderReport(report));
    if (report.dryRun) return report.errors.length > 0 ? 1 : 0;
    return reportFailed(report) ? 1 : 0;
  } catch (e) {
    bar?.stop();
    if (e instanceof UsageError || e instanceof ClientUsageError) {
      io.stderr.write(`ordergate cancel: ${e.message}\n`);
      return 2;
    }
    if (e instanceof BitgetApiError || e instanceof BitgetNetworkError) {
      io.stderr.write(`ordergate cancel: ${e instanceof BitgetApiError ? `${e.code} ${e.msg}` : e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** Registers `cancel` on the ordergate program. */
export function registerCancel(program: Command): void {
  program
    .command('cancel')
    .description('cancel orders in bulk on Bitget or an ordergate server (paced, retried, one merged report)')
    .option('--base-url <url>', 'API base URL (env BITGET_BASE_URL, default http://127.0.0.1:8080)')
    .option('--api-key <key>', 'API key (env BITGET_API_KEY)')
    .option('--secret-key <secret>', 'API secret (env BITGET_SECRET_KEY)')
    .option('--passphrase <p>', 'API passphrase (env BITGET_PASSPHRASE)')
    .option('--demo', 'Bitget demo trading: send paptrading: 1 (env BITGET_DEMO=1)')
    .addOption(new Option('--account-mode <mode>', 'classic (v2 endpoints) or unified (v3); auto probes /api/v3/account/settings').choices(['classic', 'unified', 'auto']).default('auto'))
    .option('--category <c...>', `only these categories (${ALL_CATEGORIES.join(', ')}); repeat or comma-separate`)
    .addOption(new Option('--margin-mode <m>', 'classic MARGIN: crossed or isolated (default: both with --all, crossed for ids)').choices(['crossed', 'isolated']))
    .option('--symbol <s...>', 'only these symbols; repeat or comma-separate')
    .option('--ids-file <file>', "orders to cancel, one per line or JSON ('-' = stdin); see README \"Client and mass cancellation\"")
    .option('--all', 'cancel every open order of the chosen categories and symbols')
    .option('--dry-run', 'show what would be cancelled, cancel nothing')
    .option('--json', 'print the merged report as JSON')
    .option('--retries <n>', 'retries per request after 429 / network errors (default 6)')
    .action(async (opts: CancelCliOptions) => {
      const code = await runCancel(opts, {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        readStdin: async () => {
          const chunks: Buffer[] = [];
          for await (const c of process.stdin) chunks.push(c as Buffer);
          return Buffer.concat(chunks).toString('utf8');
        },
      });
      process.exitCode = code;
    });
}
